package dev.parigot.sim.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.reports.MethodReport;
import dev.parigot.sim.reports.ReportJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index of a reports directory: every method, its coverage, its failures with their links. */
class ReportIndexHtmlTest {
    @TempDir
    Path dir;

    @Test
    void theIndexListsEveryMethodItsCoverageAndEachFailureWithItsLinks() throws Exception {
        MethodReport shard = dev.parigot.sim.reports.Reports.shard(1, 2, 10, 0, 4);
        ReportJson.write(dir, shard);
        Files.writeString(dir.resolve("not-a-report.json"), "{\"hello\": 1}");

        Path index = ReportIndexHtml.write(dir);

        assertThat(index).isEqualTo(dir.resolve(ReportIndexHtml.FILE_NAME));
        Document page = Jsoup.parse(Files.readString(index));
        assertThat(page.select("#totals").attr("data-methods")).isEqualTo("1");
        assertThat(page.select("#totals").attr("data-failing")).isEqualTo(Long.toString(shard.seedsFailed()));
        assertThat(page.select("tr.method").attr("data-method")).isEqualTo(shard.testClass() + "#" + shard.method());
        assertThat(page.select("tr.failure")).hasSize(shard.failures().size());
        assertThat(page.select("tr.failure").eachAttr("data-seed")).containsExactlyElementsOf(
                shard.failures().stream().map(f -> f.seed()).toList());
        // The failure's files are linked relative to the index; '#' in a file name is escaped.
        String href = page.select("tr.failure a.timeline").first().attr("href");
        assertThat(href).doesNotContain("#").endsWith(".html");
        assertThat(page.select("tr.failure").first().text()).contains("steps, 2 faults");
        assertThat(page.select("tr.assertion")).hasSize(shard.assertions().size());
        assertThat(page.select("p.fail").text()).contains("not-a-report.json");
    }

    @Test
    void textFromReportsIsEscaped() {
        String html = ReportIndexHtml.render(dir, List.of(), List.of("<script>alert(1)</script> & \"x\""));
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;");
    }

    @Test
    void aLinkIsRelativeToTheIndexAndEscaped() {
        Path file = dir.resolve("runs").resolve("a.B#m").resolve("0x5eed.html");
        assertThat(ReportIndexHtml.link(dir, file.toString())).isEqualTo("runs/a.B%23m/0x5eed.html");
        // Outside the index's directory (a shard's files beside a merge): relative still, so both can move together.
        Path beside = dir.resolveSibling("shard-1").resolve("x y.html");
        assertThat(ReportIndexHtml.link(dir, beside.toString())).isEqualTo("../shard-1/x%20y.html");
    }
}
