package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.kernel.DiskStore.Change;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDisksTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Change put(String key, String value) {
        return new Change(key, bytes(value));
    }

    private static Change delete(String key) {
        return new Change(key, null);
    }

    /** What a store opened afresh on the same directory loads, as a new process would. */
    /** Node "n"'s file after {@code first} and then {@code second} were synced, and its size after the first. */
    private record TwoSyncs(Path file, long afterFirst) {
    }

    private TwoSyncs twoSyncs(List<Change> first, List<Change> second) throws IOException {
        try (FileDisks disks = FileDisks.open(dir)) {
            Path file = disks.fileOf("n");
            disks.sync("n", first);
            long afterFirst = Files.size(file);
            disks.sync("n", second);
            return new TwoSyncs(file, afterFirst);
        }
    }

    private Map<String, byte[]> reload(String node) throws IOException {
        try (FileDisks disks = FileDisks.open(dir)) {
            return disks.load(node);
        }
    }

    @Test
    void syncedWritesAndDeletesComeBackInANewStoreAndNodesStayApart() throws IOException {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        try (FileDisks disks = FileDisks.open(dir)) {
            disks.sync("a", List.of(put("k1", "one"), put("k2", "two"), put("k1", "uno"), new Change("bin", binary)));
            disks.sync("a", List.of(delete("k2"), put("k3", "three"), delete("never-written")));
            disks.sync("b", List.of(put("k1", "other"), put("only-b", "b")));
        }

        Map<String, byte[]> a = reload("a");
        assertThat(a.keySet()).containsExactlyInAnyOrder("k1", "bin", "k3");
        assertThat(a.get("k1")).isEqualTo(bytes("uno"));
        assertThat(a.get("bin")).isEqualTo(binary);
        assertThat(a.get("k3")).isEqualTo(bytes("three"));

        Map<String, byte[]> b = reload("b");
        assertThat(b.keySet()).containsExactlyInAnyOrder("k1", "only-b");
        assertThat(b.get("k1")).isEqualTo(bytes("other"));
    }

    @Test
    void loadedMapIsTheCallersToChange() throws IOException {
        try (FileDisks disks = FileDisks.open(dir)) {
            disks.sync("n", List.of(put("k", "v")));
            Map<String, byte[]> first = disks.load("n");
            first.get("k")[0] = 'X';
            first.put("extra", bytes("e"));
            Map<String, byte[]> second = disks.load("n");
            assertThat(second.keySet()).containsExactly("k");
            assertThat(second.get("k")).isEqualTo(bytes("v"));
        }
    }

    @Test
    void aNodeThatNeverSyncedLoadsEmptyAndLeavesNoFile() throws IOException {
        try (FileDisks disks = FileDisks.open(dir)) {
            assertThat(disks.load("nobody")).isEmpty();
            disks.sync("nobody", List.of());
            assertThat(disks.load("nobody")).isEmpty();
            assertThat(disks.fileOf("nobody")).doesNotExist();
        }
    }

    @Test
    void openCreatesAMissingDirectoryAndRefusesAFile() throws IOException {
        Path nested = dir.resolve("x/y/data");
        try (FileDisks disks = FileDisks.open(nested)) {
            assertThat(nested).isDirectory();
            disks.sync("n", List.of(put("k", "v")));
            assertThat(disks.fileOf("n")).isRegularFile();
        }
        Path file = Files.writeString(dir.resolve("plain-file"), "not a directory");
        assertThatThrownBy(() -> FileDisks.open(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void aRecordCutShortIsDroppedAndLaterSyncsFollowTheGoodRecords() throws IOException {
        TwoSyncs synced = twoSyncs(List.of(put("a", "1")), List.of(put("b", "2"), put("c", "3")));
        Path file = synced.file();
        long afterFirst = synced.afterFirst();
        long full = Files.size(file);
        // A crash in the middle of the second sync's write: its last record is cut 3 bytes short.
        try (var c = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(full - 3);
        }

        Map<String, byte[]> loaded = reload("n");
        // "b" was whole; "c" was torn and is gone.
        assertThat(loaded.keySet()).containsExactly("a", "b");
        assertThat(Files.size(file)).isGreaterThan(afterFirst).isLessThan(full - 3);

        try (FileDisks disks = FileDisks.open(dir)) {
            disks.sync("n", List.of(put("d", "4")));
        }
        Map<String, byte[]> again = reload("n");
        assertThat(again.keySet()).containsExactly("a", "b", "d");
        assertThat(again.get("d")).isEqualTo(bytes("4"));
    }

    @Test
    void garbageAfterTheLastRecordIsCutOffAndLaterSyncsAreRead() throws IOException {
        Path file;
        long good;
        try (FileDisks disks = FileDisks.open(dir)) {
            file = disks.fileOf("n");
            disks.sync("n", List.of(put("a", "1"), put("b", "2")));
            good = Files.size(file);
        }
        Files.write(file, bytes("\0\0\0\u0007garbage!"), StandardOpenOption.APPEND);

        try (FileDisks disks = FileDisks.open(dir)) {
            Map<String, byte[]> loaded = disks.load("n");
            assertThat(loaded.keySet()).containsExactly("a", "b");
            assertThat(Files.size(file)).isEqualTo(good);
            disks.sync("n", List.of(put("c", "3"), delete("a")));
        }
        Map<String, byte[]> again = reload("n");
        assertThat(again.keySet()).containsExactly("b", "c");
        assertThat(again.get("c")).isEqualTo(bytes("3"));
    }

    @Test
    void aSyncWithoutALoadStillCutsATornTailFirst() throws IOException {
        Path file;
        try (FileDisks disks = FileDisks.open(dir)) {
            file = disks.fileOf("n");
            disks.sync("n", List.of(put("a", "1")));
        }
        Files.write(file, new byte[] {0, 0, 0, 40, 1, 2}, StandardOpenOption.APPEND);
        try (FileDisks disks = FileDisks.open(dir)) {
            disks.sync("n", List.of(put("b", "2")));
        }
        assertThat(reload("n").keySet()).containsExactly("a", "b");
    }

    @Test
    void aFlippedByteInTheLastRecordFailsItsCrcAndDropsIt() throws IOException {
        TwoSyncs synced = twoSyncs(List.of(put("a", "first")), List.of(put("b", "second")));
        Path file = synced.file();
        long afterFirst = synced.afterFirst();
        byte[] content = Files.readAllBytes(file);
        // The last byte of the file is the last byte of "second", inside the last record's body.
        content[content.length - 1] ^= 0x01;
        Files.write(file, content);

        Map<String, byte[]> loaded = reload("n");
        assertThat(loaded.keySet()).containsExactly("a");
        assertThat(loaded.get("a")).isEqualTo(bytes("first"));
        assertThat(Files.size(file)).isEqualTo(afterFirst);
    }

    @Test
    void aFileWithoutTheHeaderIsRefusedByName() throws IOException {
        Path file;
        try (FileDisks disks = FileDisks.open(dir)) {
            file = disks.fileOf("n");
        }
        Files.writeString(file, "something else entirely");
        try (FileDisks disks = FileDisks.open(dir)) {
            assertThatThrownBy(() -> disks.load("n"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("not a parigot disk file");
            assertThatThrownBy(() -> disks.sync("n", List.of(put("k", "v"))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString());
        }
        // The file is left as it was.
        assertThat(Files.readString(file)).isEqualTo("something else entirely");
    }

    @Test
    void aHeaderTornAtCreationLoadsEmptyAndIsRewritten() throws IOException {
        Path file;
        try (FileDisks disks = FileDisks.open(dir)) {
            file = disks.fileOf("n");
        }
        Files.write(file, Arrays.copyOf(FileDisks.MAGIC, 3));
        try (FileDisks disks = FileDisks.open(dir)) {
            assertThat(disks.load("n")).isEmpty();
            assertThat(Files.size(file)).isZero();
            disks.sync("n", List.of(put("k", "v")));
        }
        assertThat(reload("n").get("k")).isEqualTo(bytes("v"));
    }

    @Test
    void hostileNodeNamesStayDirectChildrenOfTheDirectory() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        List<String> names = List.of("../x", "a/b", "..", ".", "/etc/passwd", "..\\y", "A", "a", "%41", "ünï", "");
        try (FileDisks disks = FileDisks.open(data)) {
            for (String name : names) {
                disks.sync(name, List.of(put("who", name)));
                Path file = disks.fileOf(name);
                assertThat(file.getParent()).isEqualTo(data.toAbsolutePath().normalize());
                assertThat(file).isRegularFile();
            }
        }
        try (Stream<Path> outside = Files.list(dir)) {
            assertThat(outside).containsExactly(data);
        }
        try (Stream<Path> inside = Files.list(data)) {
            // One file per name: none collides with another ("A" and "a" included).
            assertThat(inside.filter(p -> p.getFileName().toString().endsWith(".disk"))).hasSize(names.size());
        }
        for (String name : names) {
            try (FileDisks disks = FileDisks.open(data)) {
                assertThat(disks.load(name).get("who")).isEqualTo(bytes(name));
            }
        }
        assertThat(FileDisks.escape("web-1_a.b")).isEqualTo("web-1_a.b");
        assertThat(FileDisks.escape("../x")).isEqualTo("..%2Fx");
    }

    @Test
    void manyOverwritesOfOneKeyKeepTheFileCompact() throws IOException {
        byte[] value = new byte[64 << 10];
        Path file;
        long largest = 0;
        try (FileDisks disks = FileDisks.open(dir)) {
            file = disks.fileOf("n");
            disks.sync("n", List.of(put("other", "small")));
            // 160 syncs of 64 KiB: 10 MiB written in all.
            for (int i = 0; i < 160; i++) {
                Arrays.fill(value, (byte) i);
                disks.sync("n", List.of(new Change("k", value.clone())));
                largest = Math.max(largest, Files.size(file));
            }
        }
        assertThat(largest).isLessThan(2L << 20);
        assertThat(file.resolveSibling(file.getFileName() + ".tmp")).doesNotExist();
        Map<String, byte[]> loaded = reload("n");
        assertThat(loaded.keySet()).containsExactly("other", "k");
        assertThat(loaded.get("k")).isEqualTo(value);
        assertThat(loaded.get("other")).isEqualTo(bytes("small"));
    }

    @Test
    void anEmptyValueIsAWriteNotADelete() throws IOException {
        try (FileDisks disks = FileDisks.open(dir)) {
            disks.sync("n", List.of(new Change("empty", new byte[0]), put("was-full", "x")));
            disks.sync("n", List.of(new Change("was-full", new byte[0])));
        }
        Map<String, byte[]> loaded = reload("n");
        assertThat(loaded.keySet()).containsExactly("empty", "was-full");
        assertThat(loaded.get("empty")).isEmpty();
        assertThat(loaded.get("was-full")).isEmpty();
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefusedUntilTheFirstCloses() throws IOException {
        try (FileDisks first = FileDisks.open(dir)) {
            first.sync("a", List.of(put("k", "v")));
            assertThatThrownBy(() -> FileDisks.open(dir)).isInstanceOf(IOException.class)
                    .hasMessageContaining("is in use by another unit").hasMessageContaining(dir.toString())
                    .hasMessageContaining("its own --data directory");
        }
        assertThat(reload("a").get("k")).isEqualTo(bytes("v"));
    }

    @Test
    void aClosedStoreRefusesCalls() throws IOException {
        FileDisks disks = FileDisks.open(dir);
        disks.sync("n", List.of(put("k", "v")));
        disks.close();
        disks.close();
        assertThatThrownBy(() -> disks.sync("n", List.of(put("k", "w"))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> disks.load("n")).isInstanceOf(IOException.class);
        assertThat(reload("n").get("k")).isEqualTo(bytes("v"));
    }
}
