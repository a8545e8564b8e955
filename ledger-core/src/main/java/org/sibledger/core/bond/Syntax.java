package org.sibledger.core.bond;

import java.util.regex.Pattern;

/**
 * The syntax of what a bond's commands name, in one place: each pattern is the one contracts/'s JSON Schemas state
 * for the same field (SyntaxTest reads the schemas and compares), so a document the schemas accept passes here and
 * a handler only decides what the bond's state makes of it. A refusal keeps its code and its words.
 */
final class Syntax {

    /** A bond's id: bond-terms.schema.json {@code /bondId}, also the measurement message's and the checkpoint's. */
    static final Pattern BOND_ID = Pattern.compile("[a-z0-9-]{3,64}");
    /** A party's id: the {@code partyId} of bond-terms.schema.json and measurement-message.schema.json. */
    static final Pattern PARTY_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    /** A participant's pseudonymous reference: measurement-message.schema.json's claim {@code participantRef}. */
    static final Pattern PARTICIPANT_REF = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /**
     * An identifier the ledger names in paths, headers and read models (a cohort, a proposal): 1 to 64 letters,
     * digits, '.', '_', ':' or '-', starting with a letter or digit.
     */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private Syntax() {
    }

    static boolean isBondId(String value) {
        return value != null && BOND_ID.matcher(value).matches();
    }

    /** A party id is given and well formed. */
    static void requirePartyId(String pointer, String value) {
        Refusals.requireText(pointer, value);
        if (!PARTY_ID.matcher(value).matches()) {
            throw Refusals.invalid("invalid-party", pointer, "must be 1 to 64 characters of a-z, 0-9, '.', '_', '-'")
                    .with(pointer);
        }
    }

    /** A participant reference is pseudonymous: never a name or an e-mail address. */
    static void requireParticipantRef(String pointer, String value) {
        if (value == null || !PARTICIPANT_REF.matcher(value).matches()) {
            throw Refusals.invalid("not-pseudonymous", pointer,
                    "a participant reference is 1 to 64 letters, digits, '_' or '-' (pseudonymous, never a name or e-mail)")
                            .with(pointer);
        }
    }

    /** An identifier is given and well formed ({@link #ID}). */
    static void requireId(String pointer, String value) {
        Refusals.requireText(pointer, value);
        if (!ID.matcher(value).matches()) {
            throw Refusals.invalid("invalid-id", pointer, "an identifier is 1 to 64 letters, digits, '.', '_', ':' or '-', "
                    + "starting with a letter or digit").with(pointer);
        }
    }
}
