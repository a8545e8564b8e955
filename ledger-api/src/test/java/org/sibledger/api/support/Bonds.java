package org.sibledger.api.support;

import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The usual start of a test bond over the API, as the demo users: each step must succeed. */
public final class Bonds {

    private Bonds() {
    }

    /**
     * Structures a rate-card bond ({@link Terms#rateCard}), commits GBP 1,000.00 to its senior tranche, opens it and
     * opens cohort "c1" of {@code cohortSize} from 2019-01-01.
     */
    public static void openWithCohort(Function<String, Api> apis, String bondId, int cohortSize) {
        String b = "/api/bonds/" + bondId;
        expect(201, apis.apply("arranger").post("/api/bonds", Terms.rateCard(bondId)));
        expect(201, apis.apply("investor").post(b + "/commitments", "{\"tranche\": \"senior\", \"amount\": \"1000.00\"}"));
        expect(200, apis.apply("arranger").post(b + "/opening", ""));
        expect(201, apis.apply("provider").post(b + "/cohorts", "{\"cohortId\": \"c1\", \"name\": \"Cohort 1\", \"size\": "
                + cohortSize + ", \"startDate\": \"2019-01-01\"}"));
    }

    /** Enrols the participants in cohort "c1", in one command. */
    public static void enrol(Function<String, Api> apis, String bondId, List<String> participantRefs) {
        StringBuilder refs = new StringBuilder("[");
        for (String ref : participantRefs) {
            refs.append(refs.length() == 1 ? "" : ",").append("{\"participantRef\": \"").append(ref).append("\"}");
        }
        expect(201, apis.apply("provider").post("/api/bonds/" + bondId + "/cohorts/c1/participants", refs + "]"));
    }

    /** "p-0" to "p-{count - 1}". */
    public static List<String> participants(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> "p-" + i).toList();
    }

    private static void expect(int status, Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
    }
}
