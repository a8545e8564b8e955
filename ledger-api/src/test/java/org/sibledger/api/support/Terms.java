package org.sibledger.api.support;

/** Terms documents for tests, in the shape of API.md, with the demo users as parties. */
public final class Terms {

    private Terms() {
    }

    /** A small valid rate-card bond in GBP. */
    public static String rateCard(String bondId) {
        return """
                {
                  "bondId": "%s",
                  "name": "Care leavers rate card %s",
                  "currency": "GBP",
                  "contractCap": "2250000.00",
                  "serviceStart": "2018-10-01", "serviceEnd": "2022-03-31",
                  "parties": {
                    "arranger": "arranger", "serviceProviders": ["provider"],
                    "outcomePayers": [{"id": "payer", "share": "1.0", "cap": "2250000.00"}],
                    "evaluators": ["evaluator"],
                    "investors": ["investor"],
                    "reviewers": ["reviewer"]
                  },
                  "metrics": [
                    {"id": "earns-768", "name": "Earns GBP 768", "repeatable": false}
                  ],
                  "paymentMechanism": {
                    "type": "RATE_CARD",
                    "prices": [{"metric": "earns-768", "price": "2750.00", "metricCap": null}],
                    "perParticipantCap": null
                  },
                  "investorTerms": {"tranches": [{"id": "senior", "rank": 1, "returnCapIrr": "0.15"}]}
                }
                """.formatted(bondId, bondId);
    }
}
