package io.github.hotdeploy.launcher.spawning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.hotdeploy.launcher.spawning.SpawnRequest.FdMapping;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The placement is checked by running its file actions on a model of the child's descriptor
 * table, with posix_spawn's own rule: an action naming a number at or above the limit fails.
 */
class FdPlacementTest {

    /** What each number of the child holds after the actions and exec: the parent's fd it is a copy of. */
    private static Map<Integer, Integer> run(Set<Integer> open, FdPlacement.Plan plan, long limit) {
        Map<Integer, Integer> table = new HashMap<>();
        open.forEach(fd -> table.put(fd, fd));
        for (FdPlacement.Action action : plan.actions()) {
            if (action instanceof FdPlacement.Dup2 d) {
                assertThat(d.from()).as("dup2 source below the limit").isLessThan((int) limit);
                assertThat(d.to()).as("dup2 target below the limit").isLessThan((int) limit);
                assertThat(table).as("dup2 from an open fd").containsKey(d.from());
                table.put(d.to(), table.get(d.from()));
            } else if (action instanceof FdPlacement.Close c) {
                assertThat(c.fd()).as("close below the limit").isLessThan((int) limit);
                table.remove(c.fd());
            } else if (action instanceof FdPlacement.CloseFrom c) {
                assertThat(c.fd()).as("closefrom below the limit").isLessThan((int) limit);
                table.keySet().removeIf(fd -> fd >= c.fd());
            }
        }
        plan.closeOnExecInParent().forEach(fd -> {
            assertThat(fd).as("only what no action can name is left to close-on-exec").isGreaterThanOrEqualTo((int) limit);
            table.remove(fd);
        });
        return table;
    }

    /** Exactly 0-2 (unless a socket went there) and every socket at its number, nothing else. */
    private static void assertPlaced(Set<Integer> open, List<FdMapping> mappings, long limit, boolean closeFrom)
            throws FdPlacement.Impossible {
        FdPlacement.Plan plan = FdPlacement.plan(open, mappings, limit, closeFrom);
        Map<Integer, Integer> child = run(open, plan, limit);
        Map<Integer, Integer> expected = new HashMap<>();
        for (int std = 0; std <= 2; std++) {
            if (open.contains(std)) {
                expected.put(std, std);
            }
        }
        mappings.forEach(m -> expected.put(m.target(), m.source()));
        assertThat(child).as("%s, %s, limit %d", open, mappings, limit).isEqualTo(expected);
    }

    private static Set<Integer> range(int from, int toExclusive) {
        return IntStream.range(from, toExclusive).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> with(Set<Integer> set, Integer... more) {
        Set<Integer> result = new TreeSet<>(set);
        result.addAll(List.of(more));
        return result;
    }

    @Test
    void socketsGoStraightToTheirNumbersAndTheRestIsClosed() throws Exception {
        Set<Integer> open = range(0, 23); // 3-20: the JVM's jars; 21, 22: the sockets
        assertPlaced(open, List.of(new FdMapping(21, 3), new FdMapping(22, 4)), 1024, true);
        assertPlaced(open, List.of(new FdMapping(21, 3), new FdMapping(22, 4)), 1024, false);
        FdPlacement.Plan plan = FdPlacement.plan(open, List.of(new FdMapping(21, 3), new FdMapping(22, 4)), 1024, true);
        assertThat(plan.actions()).startsWith(new FdPlacement.Dup2(21, 3), new FdPlacement.Dup2(22, 4))
                .endsWith(new FdPlacement.CloseFrom(5));
    }

    @Test
    void aSwapMovesOneSocketAsideBelowTheLimit() throws Exception {
        Set<Integer> open = range(0, 6);
        List<FdMapping> swap = List.of(new FdMapping(3, 4), new FdMapping(4, 3));
        assertPlaced(open, swap, 6, true);
        assertThat(FdPlacement.plan(open, swap, 6, true).actions()).contains(new FdPlacement.Dup2(4, 5));
    }

    @Test
    void aDescriptorInheritedAboveTheLimitIsClosedWithoutBeingNamed() throws Exception {
        // A shell with fd 200 open, then ulimit -n 128: the original starts; so must we.
        Set<Integer> open = with(range(0, 25), 200);
        assertPlaced(open, List.of(new FdMapping(24, 3)), 128, true);
        assertPlaced(open, List.of(new FdMapping(24, 3)), 128, false);
        assertThat(FdPlacement.plan(open, List.of(new FdMapping(24, 3)), 128, false).closeOnExecInParent())
                .containsExactly(200);
    }

    @Test
    void aTableFullUpToTheLimitStillFits() throws Exception {
        assertPlaced(range(0, 8), List.of(new FdMapping(6, 3), new FdMapping(7, 4)), 8, true);
        assertPlaced(range(0, 8), List.of(new FdMapping(6, 7), new FdMapping(7, 6)), 8, false);
    }

    @Test
    void aNumberAtOrAboveTheLimitIsImpossibleAndSaysSo() {
        assertThatThrownBy(() -> FdPlacement.plan(range(0, 10), List.of(new FdMapping(5, 5000)), 1024, true))
                .isInstanceOf(FdPlacement.Impossible.class)
                .hasMessage("fd 5000 is not below the open-files limit (ulimit -n: 1024)");
        assertThatThrownBy(() -> FdPlacement.plan(range(0, 10), List.of(new FdMapping(5, 1024)), 1024, true))
                .isInstanceOf(FdPlacement.Impossible.class);
    }

    @Test
    void aCycleWithNoSpareNumberIsImpossible() {
        assertThatThrownBy(() -> FdPlacement.plan(range(0, 5), List.of(new FdMapping(3, 4), new FdMapping(4, 3)), 5, true))
                .isInstanceOf(FdPlacement.Impossible.class).hasMessageContaining("free to reorder");
    }

    @Test
    void stdinMayReceiveASocket() throws Exception {
        assertPlaced(range(0, 12), List.of(new FdMapping(11, 0), new FdMapping(10, 3)), 64, true);
    }

    @Test
    void anyLayoutThatFitsIsPlaced() throws Exception {
        Random random = new Random(18);
        for (int round = 0; round < 5000; round++) {
            int limit = 4 + random.nextInt(40);
            Set<Integer> open = new TreeSet<>(List.of(0, 1, 2));
            List<Integer> free = new ArrayList<>(range(3, limit));
            Collections.shuffle(free, random);
            int sockets = 1 + random.nextInt(Math.min(6, free.size()));
            List<Integer> sources = free.subList(0, sockets);
            open.addAll(sources);
            free.subList(sockets, free.size()).stream().filter(fd -> random.nextBoolean()).forEach(open::add);
            if (random.nextInt(4) == 0) {
                open.add(limit + random.nextInt(300)); // inherited above the limit
            }
            List<Integer> numbers = new ArrayList<>(range(3, limit));
            if (random.nextInt(5) == 0) {
                numbers.add(0);
            }
            Collections.shuffle(numbers, random);
            if (numbers.size() < sockets) {
                continue;
            }
            List<FdMapping> mappings = new ArrayList<>();
            for (int i = 0; i < sockets; i++) {
                mappings.add(new FdMapping(sources.get(i), numbers.get(i)));
            }
            boolean closeFrom = random.nextBoolean();
            try {
                assertPlaced(open, mappings, limit, closeFrom);
            } catch (FdPlacement.Impossible e) {
                // Only a cycle with every number below the limit taken by a target or a socket.
                assertThat(range(3, limit)).as("%s %s limit %d: %s", open, mappings, limit, e.getMessage())
                        .allMatch(fd -> mappings.stream().anyMatch(m -> m.target() == fd || m.source() == fd));
            }
        }
    }
}
