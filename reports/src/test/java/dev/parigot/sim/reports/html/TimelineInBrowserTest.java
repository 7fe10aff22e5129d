package dev.parigot.sim.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Int64Value;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.StepKind;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.kernel.Trace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The page, as headless Chromium leaves it once its script ran: lanes, arrows, fault markers,
 * the failure, decoded payloads and log lines of a real failing run; a 5,000-step run stays light.
 */
class TimelineInBrowserTest {
    static final Path OUT = Path.of("target", "timelines");

    @BeforeEach
    void browser() {
        HeadlessChromium.assumePresent();
    }

    @Test
    void failingBankRunShowsOneLanePerNodeAnArrowPerMessageEveryFaultTheFailureAndDecodedPayloads()
            throws Exception {
        BankWorld w = BankWorld.failingRun(1);
        PayloadDecoder decoder = PayloadDecoder.of(BankWorld.BANK_PROTO);
        String replay = "mvn -q test -Dtest=BankTest -Dparigot.seed=" + w.sim.seed();
        Timeline original = Timeline.of(w.sim, "BankTest.noAcknowledgedDepositIsLost", replay, decoder);
        Timeline other = Timeline.of(BankWorld.failingRun(2).sim, "BankTest (seed 2)", "", decoder);
        Path page = TimelineHtml.write(OUT.resolve("bank.html"),
                List.of(new TimelineHtml.Tab("original", original), new TimelineHtml.Tab("seed 2", other)));

        Document dom = Jsoup.parse(HeadlessChromium.dumpDom(page.toAbsolutePath()).dom());

        assertThat(dom.body().attr("data-ready")).isEqualTo("true");
        assertThat(dom.getElementById("errors").text()).isEmpty();
        Element timeline = dom.getElementById("timeline");
        assertThat(timeline.attr("data-tab")).isEqualTo("original");
        assertThat(dom.select(".tab").eachAttr("data-tab")).containsExactly("original", "seed 2");

        // One lane per node, the kernel first, in world order; a filter box each.
        List<String> nodes = new ArrayList<>(List.of("kernel"));
        nodes.addAll(w.sim.nodes());
        assertThat(dom.select("#lane-header .lane").eachAttr("data-node")).containsExactlyElementsOf(nodes);
        assertThat(dom.select("input.node-filter").eachAttr("data-node")).containsExactlyElementsOf(nodes);

        // An arrow per CALL and per RESULT, all drawn (a small run is not windowed).
        Trace trace = w.sim.trace();
        long calls = count(trace, StepKind.CALL);
        long results = count(trace, StepKind.RESULT);
        assertThat(calls).isGreaterThan(10);
        assertThat(timeline.attr("data-steps-total")).isEqualTo(Long.toString(trace.steps()));
        assertThat(timeline.attr("data-calls-total")).isEqualTo(Long.toString(calls));
        assertThat(timeline.attr("data-results-total")).isEqualTo(Long.toString(results));
        assertThat(timeline.attr("data-rows-rendered")).isEqualTo(timeline.attr("data-rows-total"));
        assertThat(dom.select(".arrow[data-kind=CALL]")).hasSize((int) calls);
        assertThat(dom.select(".arrow[data-kind=RESULT]")).hasSize((int) results);
        assertThat(dom.select(".arrow[data-kind=CALL][data-source=alice][data-target=bank]")).isNotEmpty();
        assertThat(dom.select(".mark[data-kind=READY]")).hasSize((int) count(trace, StepKind.READY));
        assertThat(dom.select(".mark[data-kind=TIMER][data-node=clock]")).isNotEmpty();

        // A marker per fault, where it happened; the list of faults beside.
        for (String kind : List.of("PAUSE", "RESUME", "CRASH", "RESTART")) {
            assertThat(dom.select(".fault[data-kind=" + kind + "][data-node=auditor]")).as(kind).hasSize(1);
        }
        assertThat(dom.select(".fault[data-kind=CLOG][data-node=bank]")).hasSize(1);
        assertThat(dom.select(".fault.band[data-kind=PARTITION]")).hasSize(1);
        assertThat(dom.select(".fault.band[data-kind=HEAL]")).hasSize(1);
        assertThat(dom.select("#fault-list li")).hasSize(7);

        // The failure: headline with its reason, its step highlighted and shown in the details panel.
        SimFailure failure = w.sim.failure().orElseThrow();
        Element headline = dom.getElementById("failure");
        assertThat(headline.hasAttr("hidden")).isFalse();
        assertThat(headline.attr("data-kind")).isEqualTo("INVARIANT");
        assertThat(headline.select(".reason").text()).isEqualTo(failure.reason());
        assertThat(headline.text()).contains("no acknowledged deposit is lost");
        Element failureRow = dom.getElementById("failure-row");
        assertThat(failureRow.hasClass("failure-step")).isTrue();
        assertThat(failureRow.attr("data-step")).isEqualTo(Long.toString(failure.step()));
        Timeline.Step failed = original.steps().get((int) failure.step() - 1);
        assertThat(dom.getElementById("details-payload").text()).isEqualTo(failed.payload());
        assertThat(dom.getElementById("replay").text()).isEqualTo(replay);

        // Payloads decoded from the descriptors; the echo guest's, which no descriptor names, as hex.
        assertThat(dom.select(".payload-preview").eachText()).anyMatch(t -> t.contains("account: \"shared\""))
                .anyMatch(t -> t.startsWith("balance: "))
                .anyMatch(t -> t.equals("2 bytes: ca fe"));

        // Log lines on their node's lane, markup in them shown as text.
        assertThat(dom.select(".log[data-node=bank]").eachText()).contains(BankWorld.NASTY_LOG);
        assertThat(dom.select(".log[data-node=clock][data-level=WARN]")).hasSize(1);
        assertThat(dom.select("script")).hasSize(2);
        assertThat(dom.select("script").stream().map(Element::data)).noneMatch(s -> s.contains("window.pwned=1<"));
    }

    @Test
    void fiveThousandStepRunRendersOnlyTheRowsInViewAndSaysItsTotals() throws Exception {
        Sim sim = Sim.create(SimConfig.builder().seed(5).echoLog(false).tracePayloads(true).build());
        sim.add("counter", JavaService.builder("test.v1.Counter")
                .method("Next", Int64Value.parser(), (req, call) -> call.reply(Int64Value.of(req.getValue() + 1)))
                .build());
        TestClient client = sim.client("client");
        count(client, 0);
        sim.runUntil(() -> sim.steps() >= 5_000);
        Timeline t = Timeline.of(sim, "five thousand steps", "", PayloadDecoder.none());
        Path page = TimelineHtml.write(OUT.resolve("five-thousand.html"), t);

        HeadlessChromium.Dump dump = HeadlessChromium.dumpDom(page.toAbsolutePath());
        Document dom = Jsoup.parse(dump.dom());

        Element timeline = dom.getElementById("timeline");
        assertThat(dom.body().attr("data-ready")).isEqualTo("true");
        assertThat(timeline.attr("data-steps-total")).isEqualTo("5000");
        assertThat(timeline.attr("data-steps-kept")).isEqualTo("5000");
        assertThat(Long.parseLong(timeline.attr("data-calls-total")) + Long.parseLong(timeline.attr("data-results-total")))
                .isEqualTo(count(sim.trace(), StepKind.CALL) + count(sim.trace(), StepKind.RESULT))
                .isGreaterThan(4_990);
        int rendered = Integer.parseInt(timeline.attr("data-rows-rendered"));
        assertThat(rendered).isBetween(30, 200);
        assertThat(dom.select("#canvas .row")).hasSize(rendered);
        assertThat(dom.select(".arrow")).hasSize(Integer.parseInt(timeline.attr("data-arrows-rendered")));
        assertThat(dom.select(".row[data-step=1]")).hasSize(1);
        System.out.printf("5,000-step timeline: %,d bytes of HTML, %d rows in the DOM, script %s ms, Chromium %d ms"
                + " wall (start to DOM dump)%n", java.nio.file.Files.size(page), rendered,
                dom.body().attr("data-render-ms"), dump.wallMillis());
    }

    @Test
    void aTraceThatKeptOnlyItsLastStepsSaysSoOnThePage() throws Exception {
        Sim sim = Sim.create(SimConfig.builder().seed(7).echoLog(false).traceStepsKept(40).build());
        sim.add("counter", JavaService.builder("test.v1.Counter")
                .method("Next", Int64Value.parser(), (req, call) -> call.reply(Int64Value.of(req.getValue() + 1)))
                .build());
        count(sim.client("client"), 0);
        sim.runUntil(() -> sim.steps() >= 100);
        Path page = TimelineHtml.write(OUT.resolve("kept.html"), Timeline.of(sim, "kept", ""));

        Document dom = Jsoup.parse(HeadlessChromium.dumpDom(page.toAbsolutePath()).dom());

        assertThat(dom.getElementById("not-kept").text()).startsWith("first 60 steps not kept");
        assertThat(dom.select("#canvas .row.step").eachAttr("data-step").get(0)).isEqualTo("61");
        assertThat(dom.getElementById("no-failure").hasAttr("hidden")).isFalse();
        assertThat(dom.getElementById("jump-failure").hasAttr("disabled")).isTrue();
        assertThat(dom.select("#fault-list li.none").text()).isEqualTo("none");
        Set<String> kinds = new TreeSet<>(dom.select(".arrow").eachAttr("data-kind"));
        assertThat(kinds).containsExactly("CALL", "RESULT");
    }

    /**
     * Filters, search, jump to failure, a click on a step, tabs and scrolling, driven by a script
     * appended to a copy of the page (headless --dump-dom clicks nothing itself); the script
     * writes what it saw as JSON into {@code #driver}.
     */
    @Test
    void filtersSearchJumpClickTabsAndScrollingChangeWhatThePageShows() throws Exception {
        BankWorld w = BankWorld.failingRun(1);
        Timeline bank = Timeline.of(w.sim, "bank", "", PayloadDecoder.of(BankWorld.BANK_PROTO));
        Sim big = Sim.create(SimConfig.builder().seed(5).echoLog(false).build());
        big.add("counter", JavaService.builder("test.v1.Counter")
                .method("Next", Int64Value.parser(), (req, call) -> call.reply(Int64Value.of(req.getValue() + 1)))
                .build());
        count(big.client("client"), 0);
        big.runUntil(() -> big.steps() >= 5_000);
        String page = TimelineHtml.render(List.of(new TimelineHtml.Tab("original", bank),
                new TimelineHtml.Tab("long", Timeline.of(big, "long", ""))));
        long deposit = bank.steps().stream().filter(s -> s.kind() == StepKind.CALL
                && s.method().equals("bank.v1.Bank/Deposit")).findFirst().orElseThrow().number();
        String driver = """
                <script>
                (function () {
                  var out = {}, q = function (s) { return document.querySelectorAll(s); };
                  var tl = document.getElementById("timeline");
                  var auditor = document.querySelector("input.node-filter[data-node=auditor]");
                  auditor.click();
                  out.lanesWithoutAuditor = q("#lane-header .lane").length;
                  out.auditorMarks = q("#canvas [data-node=auditor], .arrow[data-target=auditor], .arrow[data-source=auditor]").length;
                  auditor.click();
                  out.lanesAgain = q("#lane-header .lane").length;
                  var search = document.getElementById("search");
                  search.value = "deposit";
                  search.dispatchEvent(new Event("input"));
                  out.searchCount = document.getElementById("search-count").textContent;
                  out.searchRows = q("#canvas .row").length;
                  out.searchAllDeposit = Array.prototype.every.call(q("#canvas .row"), function (r) {
                    return r.querySelector(".method").textContent.indexOf("Bank/Deposit") === 0; });
                  search.value = "";
                  search.dispatchEvent(new Event("input"));
                  document.getElementById("jump-failure").click();
                  out.selectedAfterJump = document.querySelector(".row.selected").getAttribute("data-step");
                  document.querySelector(".row[data-step='DEPOSIT']").click();
                  out.clickedPayload = document.getElementById("details-payload").textContent;
                  document.querySelector(".tab[data-tab=long]").click();
                  out.tabAfterClick = tl.getAttribute("data-tab");
                  out.failureHiddenOnLong = document.getElementById("failure").hidden;
                  var scroller = document.getElementById("scroller");
                  scroller.scrollTop = 22 * 3000;
                  scroller.dispatchEvent(new Event("scroll"));
                  var tries = 0;
                  (function settle() {
                    // The page redraws on its next frame or 50 ms timer: wait for it, up to 3 s.
                    if (Number(tl.getAttribute("data-first-row")) === 0 && ++tries < 60) {
                      setTimeout(settle, 50);
                      return;
                    }
                    out.firstRowAfterScroll = Number(tl.getAttribute("data-first-row"));
                    out.rowsRenderedAfterScroll = q("#canvas .row").length;
                    document.getElementById("driver").textContent = JSON.stringify(out);
                  })();
                })();
                </script>
                <pre id="driver"></pre>
                </body>""".replace("DEPOSIT", Long.toString(deposit));
        Path file = OUT.resolve("driven.html");
        java.nio.file.Files.createDirectories(OUT);
        java.nio.file.Files.writeString(file, page.replace("</body>", driver));

        Document dom = Jsoup.parse(HeadlessChromium.dumpDom(file.toAbsolutePath()).dom());

        String json = dom.getElementById("driver").text();
        assertThat(json).as("the driver script finished; errors: %s", dom.getElementById("errors").text())
                .isNotEmpty();
        com.fasterxml.jackson.databind.JsonNode seen = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(seen.get("lanesWithoutAuditor").asInt()).isEqualTo(bank.lanes().size() - 1);
        assertThat(seen.get("auditorMarks").asInt()).isZero();
        assertThat(seen.get("lanesAgain").asInt()).isEqualTo(bank.lanes().size());
        long deposits = bank.steps().stream().filter(s -> s.method().equals("bank.v1.Bank/Deposit")).count();
        assertThat(seen.get("searchCount").asText()).isEqualTo(deposits + " steps match");
        assertThat(seen.get("searchRows").asLong()).isEqualTo(deposits);
        assertThat(seen.get("searchAllDeposit").asBoolean()).isTrue();
        assertThat(seen.get("selectedAfterJump").asLong()).isEqualTo(w.sim.failure().orElseThrow().step());
        assertThat(seen.get("clickedPayload").asText()).isEqualTo(bank.steps().get((int) deposit - 1).payload())
                .contains("account: \"shared\"");
        assertThat(seen.get("tabAfterClick").asText()).isEqualTo("long");
        assertThat(seen.get("failureHiddenOnLong").asBoolean()).isTrue();
        assertThat(seen.get("firstRowAfterScroll").asInt()).isBetween(2_900, 3_000);
        assertThat(seen.get("rowsRenderedAfterScroll").asInt()).isBetween(30, 200);
    }

    private static void count(TestClient client, long from) {
        client.call("test.v1.Counter", "Next", Int64Value.of(from), Int64Value.parser())
                .whenDone(done -> count(client, done.get().getValue()));
    }

    static long count(Trace trace, StepKind kind) {
        long n = 0;
        for (long s = 1; s <= trace.steps(); s++) {
            if (trace.retains(s) && trace.step(s).kind() == kind) {
                n++;
            }
        }
        return n;
    }
}
