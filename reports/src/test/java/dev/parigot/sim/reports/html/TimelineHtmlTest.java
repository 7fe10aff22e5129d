package dev.parigot.sim.reports.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.StepKind;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page is one file whose embedded JSON no payload or log line can break out of. */
class TimelineHtmlTest {
    static final String NASTY = "a \"quoted\" </script><script>alert('x')</script> <!-- & \u2028 end";
    static final Pattern DATA = Pattern.compile(
            "<script type=\"application/json\" id=\"timeline-data\">(.*?)</script>", Pattern.DOTALL);

    static Timeline nastyTimeline() {
        Timeline.Step step = new Timeline.Step(1, 5, StepKind.CALL, "a", "b", 1, "x.v1.S/M", "", "", 3, "x.v1.Q",
                NASTY);
        return new Timeline("title </script> & <b>", "0x1", "random", "mvn test -Dx=\"</script>\"", null, 1, 0,
                true, List.of(new Timeline.Lane("kernel", List.of()), new Timeline.Lane("a", List.of()),
                        new Timeline.Lane("b", List.of("x.v1.S"))),
                List.of(step), List.of(), List.of(new Timeline.Log(5, "b", LogLine.Level.WARN, NASTY)));
    }

    @Test
    void payloadsAndLogLinesWithScriptEndTagsAndQuotesStayInsideTheDataAndReadBackTheSame() throws Exception {
        String page = TimelineHtml.render(nastyTimeline());

        Matcher m = DATA.matcher(page);
        assertThat(m.find()).isTrue();
        String json = m.group(1);
        assertThat(json).doesNotContain("<").doesNotContain(">").doesNotContain("&").doesNotContain("\u2028")
                .contains("\\u003c/script\\u003e");
        JsonNode back = new ObjectMapper().readTree(json).get("tabs").get(0);
        assertThat(back.get("name").asText()).isEqualTo("original");
        JsonNode timeline = back.get("timeline");
        assertThat(timeline.get("steps").get(0).get("payload").asText()).isEqualTo(NASTY);
        assertThat(timeline.get("logs").get(0).get("text").asText()).isEqualTo(NASTY);
        assertThat(timeline.get("replayCommand").asText()).isEqualTo("mvn test -Dx=\"</script>\"");
        assertThat(timeline.get("steps").get(0).get("kind").asText()).isEqualTo("CALL");
        // Exactly the page's own two scripts close: the data and the code.
        assertThat(page.split("</script>", -1)).hasSize(3);
        assertThat(page).contains("<title>title &lt;/script&gt; &amp; &lt;b&gt;</title>");
    }

    @Test
    void thePageNeedsNoNetwork() {
        String page = TimelineHtml.render(nastyTimeline());

        assertThat(page).doesNotContainPattern("(?i)<(link|img|iframe)\\b")
                .doesNotContainPattern("(?i)\\b(src|href)\\s*=")
                .doesNotContainPattern("(?i)https?://(?!www\\.w3\\.org/2000/svg)")
                .doesNotContain("@import").doesNotContain("url(");
    }

    @Test
    void tabsNeedDistinctNamesAndAtLeastOneTimeline() {
        Timeline t = nastyTimeline();

        assertThatThrownBy(() -> TimelineHtml.render(List.of())).hasMessage("no timeline to draw; give at least one tab");
        assertThatThrownBy(() -> TimelineHtml.render(List.of(new TimelineHtml.Tab("a", t), new TimelineHtml.Tab("a", t))))
                .hasMessage("two tabs are named 'a'; name each once");
        assertThatThrownBy(() -> new TimelineHtml.Tab(" ", t)).hasMessageStartingWith("a tab needs a name");
        assertThat(TimelineHtml.render(List.of(new TimelineHtml.Tab("original", t), new TimelineHtml.Tab("shrunk", t))))
                .contains("\"name\":\"shrunk\"");
    }
}
