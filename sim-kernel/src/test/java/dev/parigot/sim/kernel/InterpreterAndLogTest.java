package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parigot.sim.scheduler.Seed;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The interpreter runs the same worlds as the compiler; the unified log reaches SLF4J with seed and time. */
class InterpreterAndLogTest {

    static Sim echoWorld(GuestModule echo, long seed, boolean echoLog) {
        Sim sim = Sim.create(Guests.config(seed).echoLog(echoLog).build());
        sim.add(echo, NodeOptions.named("e1")).add(echo, NodeOptions.named("e2"));
        TestClient a = sim.client("a");
        TestClient b = sim.client("b");
        for (int i = 0; i < 5; i++) {
            a.call("test.v1.Echo", "Echo", ("a" + i).getBytes(StandardCharsets.UTF_8));
            b.call("test.v1.Echo", "Log", ("b" + i).getBytes(StandardCharsets.UTF_8));
        }
        sim.run();
        return sim;
    }

    @Test
    void theInterpreterAndTheCompilerProduceTheSameTrace() {
        GuestModule compiled = Guests.load("echo");
        GuestModule interpreted = GuestModule.fromResource(Guests.class, "/guests/echo.wasm", Engine.INTERPRETED);
        assertThat(interpreted.engine()).isEqualTo(Engine.INTERPRETED);
        for (long seed = 1; seed <= 5; seed++) {
            Sim a = echoWorld(compiled, seed, false);
            Sim b = echoWorld(interpreted, seed, false);
            assertThat(b.steps()).isEqualTo(a.steps()).isGreaterThan(20);
            assertThat(b.trace().hash()).isEqualTo(a.trace().hash());
            assertThat(b.log()).isEqualTo(a.log());
        }
    }

    @Test
    void guestLogLinesReachSlf4jWithSeedVirtualTimeAndNode() {
        Logger logger = (Logger) LoggerFactory.getLogger("parigot.sim.e1");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        Level saved = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(appender);
        try {
            Sim sim = echoWorld(Guests.load("echo"), 7, true);
            assertThat(appender.list).isNotEmpty();
            ILoggingEvent event = appender.list.get(0);
            String seed = Seed.of(7).toString();
            assertThat(event.getFormattedMessage()).startsWith("[" + seed + " ").contains(" e1] b");
            assertThat(event.getMDCPropertyMap()).containsEntry("sim.seed", seed).containsEntry("sim.node", "e1")
                    .containsKey("sim.time");
            long kept = sim.log().stream().filter(l -> l.node().equals("e1")).count();
            assertThat(appender.list).hasSize((int) kept);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(saved);
        }
    }
}
