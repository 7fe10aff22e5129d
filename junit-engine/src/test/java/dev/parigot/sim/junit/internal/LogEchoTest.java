package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A replay (one seed) echoes the worlds' log through SLF4J by default; a sweep does not; the setting decides. */
class LogEchoTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> heard = new ListAppender<>();
    private Logger logger;

    @BeforeEach
    void listen() {
        logger = (Logger) LoggerFactory.getLogger("parigot.sim.talker");
        heard.start();
        logger.addAppender(heard);
    }

    @AfterEach
    void stop() {
        logger.detachAppender(heard);
    }

    private List<String> lines() {
        return heard.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aSingleSeedEchoesItsLogThroughSlf4jWithSeedTimeAndNodeInTheMdc() {
        EngineRun.in(dir).set(Settings.SEED, "0x5eed000000000003").run(Fixtures.LogsALine.class);
        assertThat(lines()).containsExactly("[0x5eed000000000003 0.000000s talker] hello from 0x5eed000000000003");
        assertThat(heard.list.get(0).getMDCPropertyMap()).containsEntry("sim.seed", "0x5eed000000000003")
                .containsEntry("sim.node", "talker").containsKey("sim.time");
    }

    @Test
    void aSweepKeepsItsLogInTheWorldsUnlessAskedAndOnAlwaysEchoes() {
        EngineRun.in(dir).run(Fixtures.LogsALine.class);
        assertThat(lines()).isEmpty();
        EngineRun.in(dir).set(Settings.LOG_ECHO, "on").set(Settings.PARALLELISM, "1").run(Fixtures.LogsALine.class);
        assertThat(lines()).hasSize(5);
        heard.list.clear();
        EngineRun.in(dir).set(Settings.SEED, "0x5eed000000000003").set(Settings.LOG_ECHO, "off")
                .run(Fixtures.LogsALine.class);
        assertThat(lines()).isEmpty();
    }
}
