package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.kernel.internal.guest.GuestCode;
import dev.parigot.sim.kernel.internal.guest.SymbolName;
import org.junit.jupiter.api.Test;

/** Mangled Rust and C++ names in a module's name section read as their source names; anything else is left alone. */
class SymbolNameTest {

    @Test
    void rustLegacyNamesLoseTheirHashAndEscapes() {
        assertThat(SymbolName.readable("_ZN4core9panicking5panic17h5a1f6c4b0e8e2b0aE")).isEqualTo("core::panicking::panic");
        assertThat(SymbolName.readable("_ZN13parigot_guest5Start6handle28_$u7b$$u7b$closure$u7d$$u7d$17h0123456789abcdefE"))
                .isEqualTo("parigot_guest::Start::handle::{{closure}}");
        assertThat(SymbolName.readable("_ZN42_$LT$$RF$T$u20$as$u20$core..fmt..Debug$GT$3fmt17h9d2ddbef03c70c0aE"))
                .isEqualTo("<&T as core::fmt::Debug>::fmt");
        assertThat(SymbolName.readable("_ZN4core3ptr130drop_in_place$LT$core..iter..adapters..map..Map$LT$std..env..Vars"
                + "$C$echo_std..parigot_on_call..$u7b$$u7b$closure$u7d$$u7d$$GT$$GT$17hb32639b8895ebf0fE"))
                .isEqualTo("core::ptr::drop_in_place<core::iter::adapters::map::Map<std::env::Vars,"
                        + "echo_std::parigot_on_call::{{closure}}>>");
        assertThat(SymbolName.readable("_ZN3std2rt10lang_start17h0123456789abcdefE.llvm.1234")).isEqualTo("std::rt::lang_start");
    }

    @Test
    void simpleCppNamesLoseTheirParameterTypes() {
        assertThat(SymbolName.readable("_ZN3foo3barEv")).isEqualTo("foo::bar");
        assertThat(SymbolName.readable("_Z6squarei")).isEqualTo("square");
    }

    @Test
    void whatItCannotReadWholeStaysAsItIs() {
        for (String name : new String[] {"main", "parigot_on_call", "func[12]", "_ZN3fo", "_ZNK3foo3barEv",
                "_ZN3fooC1Ev", "_ZdlPv", "_ZN3foo$zz$E", "_Z", "_ZN17h0123456789abcdefE", "_ZNE"}) {
            assertThat(SymbolName.readable(name)).as(name).isEqualTo(name);
        }
        assertThat(SymbolName.readable(null)).isNull();
    }

    @Test
    void everyRustNameOfARealModuleReadsWithoutItsManglingAndAllAreDistinct() {
        GuestCode code = Guests.load("echo_std_rust").code();
        java.util.Set<String> seen = new java.util.HashSet<>();
        int mangled = 0;
        for (int i = 0; i < 400; i++) {
            String name = code.functionName(i);
            if (name.startsWith("func[")) {
                continue;
            }
            assertThat(name).as("function %d", i).doesNotStartWith("_ZN").doesNotContain("$LT$").doesNotContain("17h");
            mangled++;
            seen.add(name);
        }
        assertThat(mangled).isGreaterThan(150);
        assertThat(seen).contains("echo_std::parigot_log", "echo_std::reply");
    }
}
