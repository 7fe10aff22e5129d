package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import org.junit.jupiter.api.Test;

/** A world may keep each step's payload bytes for reports; keeping them changes no trace. */
class TracePayloadsTest {

    private static Sim echoWorld(boolean keep) {
        Sim sim = Sim.create(Guests.config(3).tracePayloads(keep).build())
                .add(JavaServiceTest.ECHO)
                .add("greeter", JavaServiceTest.GREETER);
        TestClient ada = sim.client("ada");
        sim.await(ada.call("test.v1.Greeter", "Hello", StringValue.of("Ada"), StringValue.parser()));
        sim.await(ada.call("test.v1.Echo", "Echo", new byte[] {1, 2, 3}));
        return sim;
    }

    @Test
    void keptPayloadsAreTheBytesEachCallAndResultCarried() throws Exception {
        Sim sim = echoWorld(true);
        Trace trace = sim.trace();
        assertThat(trace.keepsPayloads()).isTrue();
        int calls = 0;
        for (long s = 1; s <= trace.steps(); s++) {
            TraceStep step = trace.step(s);
            if (step.kind() == StepKind.CALL && step.method().equals("test.v1.Greeter/Hello")) {
                assertThat(StringValue.parseFrom(trace.payload(s).orElseThrow()).getValue()).isEqualTo("Ada");
                calls++;
            } else if (step.kind() == StepKind.RESULT && step.method().equals("test.v1.Greeter/Hello")) {
                assertThat(StringValue.parseFrom(trace.payload(s).orElseThrow()).getValue())
                        .isEqualTo("hello, Ada from ada");
            } else if (step.kind() == StepKind.CALL && step.method().equals("test.v1.Echo/Echo")) {
                assertThat(trace.payload(s)).hasValueSatisfying(p -> assertThat(p).containsExactly(1, 2, 3));
                calls++;
            }
            assertThat(trace.payload(s).map(p -> p.length).orElse(0)).as("step %d's size", s)
                    .isEqualTo(step.payloadBytes());
        }
        assertThat(calls).isEqualTo(2);
        // A copy: what a reader does to it never reaches the trace.
        long first = 1;
        while (trace.step(first).payloadBytes() == 0) {
            first++;
        }
        byte[] before = trace.payload(first).orElseThrow();
        trace.payload(first).orElseThrow()[0] ^= 1;
        assertThat(trace.payload(first).orElseThrow()).containsExactly(before);
    }

    @Test
    void keepingPayloadsChangesNoTraceHash() {
        Sim kept = echoWorld(true);
        Sim dropped = echoWorld(false);
        assertThat(kept.trace().hash()).isEqualTo(dropped.trace().hash());
        assertThat(dropped.trace().keepsPayloads()).isFalse();
        assertThat(dropped.trace().payload(dropped.trace().steps())).isEmpty();
    }
}
