package org.sibledger.projections.common;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link BatchedWrites} groups a batch's writes into JDBC statements without changing what they do. */
class BatchedWritesPlanTest {

    private static final String INSERT = "INSERT";
    private static final String UPDATE = "UPDATE";
    private static final String OTHER = "OTHER";

    @Test
    void writesOfDifferentRowsAreGroupedByStatementAndEachRowKeepsItsOrder() {
        BatchedWrites.Plan plan = new BatchedWrites.Plan();
        plan.add(List.of("m1"), INSERT, args("m1"));
        plan.add(List.of("m1"), UPDATE, args("m1"));
        plan.add(List.of("m2"), INSERT, args("m2"));
        plan.add(List.of("m2"), UPDATE, args("m2"));
        assertThat(shape(plan)).containsExactly(INSERT + "[m1, m2]", UPDATE + "[m1, m2]");
    }

    @Test
    void writesOfTheSameRowAreNeverReordered() {
        BatchedWrites.Plan plan = new BatchedWrites.Plan();
        plan.add(List.of("k"), UPDATE, args("a"));
        plan.add(List.of("k"), OTHER, args("b"));
        plan.add(List.of("k"), UPDATE, args("c"));
        assertThat(shape(plan)).containsExactly(UPDATE + "[a]", OTHER + "[b]", UPDATE + "[c]");
    }

    @Test
    void aWriteWithSeveralKeysWaitsForEachOfThem() {
        BatchedWrites.Plan plan = new BatchedWrites.Plan();
        plan.add(List.of("bond"), INSERT, args("bond"));
        plan.add(List.of("other"), UPDATE, args("other"));
        // reads the bond's row and writes its own: after the bond's insert, free to join the insert statement
        plan.add(List.of("bond", "m1"), INSERT, args("m1"));
        plan.add(List.of("other", "m2"), INSERT, args("m2"));
        assertThat(shape(plan)).containsExactly(INSERT + "[bond, m1]", UPDATE + "[other]", INSERT + "[m2]");
    }

    @Test
    void aWriteWithoutKeysIsABarrierAndAWriteWithAnEmptyKeyListCommutesWithAll() {
        BatchedWrites.Plan plan = new BatchedWrites.Plan();
        plan.add(List.of(), INSERT, args("fact1"));
        plan.add(List.of("k"), UPDATE, args("k"));
        plan.add(List.of(), INSERT, args("fact2"));
        plan.add(null, OTHER, args("barrier"));
        plan.add(List.of(), INSERT, args("fact3"));
        assertThat(shape(plan)).containsExactly(INSERT + "[fact1, fact2]", UPDATE + "[k]", OTHER + "[barrier]",
                INSERT + "[fact3]");
    }

    /** Random writes over a few rows and statements: executed as planned, every row sees its writes in their order. */
    @Test
    void aPlanKeepsTheOrderOfEveryRowsWritesForRandomBatches() {
        Random random = new Random(7);
        for (int round = 0; round < 2_000; round++) {
            BatchedWrites.Plan plan = new BatchedWrites.Plan();
            List<List<String>> keysOf = new ArrayList<>();
            int writes = 1 + random.nextInt(40);
            for (int w = 0; w < writes; w++) {
                List<String> keys = random.nextInt(20) == 0 ? null : new ArrayList<>();
                if (keys != null) {
                    int count = random.nextInt(3);
                    for (int k = 0; k < count; k++) {
                        keys.add("k" + random.nextInt(5));
                    }
                }
                keysOf.add(keys);
                plan.add(keys, "S" + random.nextInt(4), new Object[]{w});
            }
            List<Integer> executed = new ArrayList<>();
            plan.statements().forEach(s -> s.args().forEach(a -> executed.add((Integer) a[0])));
            assertThat(executed).hasSize(writes).doesNotHaveDuplicates();
            // the place of each write in the execution
            Map<Integer, Integer> at = new HashMap<>();
            for (int i = 0; i < executed.size(); i++) {
                at.put(executed.get(i), i);
            }
            for (int a = 0; a < writes; a++) {
                for (int b = a + 1; b < writes; b++) {
                    if (conflict(keysOf.get(a), keysOf.get(b))) {
                        assertThat(at.get(a)).as("round %d: write %d before %d", round, a, b).isLessThan(at.get(b));
                    }
                }
            }
        }
    }

    private static boolean conflict(List<String> a, List<String> b) {
        return a == null || b == null || a.stream().anyMatch(b::contains);
    }

    private static Object[] args(String value) {
        return new Object[]{value};
    }

    private static List<String> shape(BatchedWrites.Plan plan) {
        return plan.statements().stream()
                .map(s -> s.sql() + s.args().stream().map(a -> String.valueOf(a[0])).toList()).toList();
    }
}
