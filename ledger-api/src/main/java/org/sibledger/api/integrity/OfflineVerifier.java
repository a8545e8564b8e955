package org.sibledger.api.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.core.integrity.ChainVerifier;
import org.sibledger.core.integrity.Checkpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar ledger-api.jar verify --checkpoint <file> --events <file> --public-key <file>}: checks a bond's
 * exported events against checkpoints the ledger signed, with no database, broker or Spring: the checkpoints'
 * signatures with the ledger's public key (kept from {@code GET /api/ledger/public-key}), then the events' hash chain,
 * then that the chain reaches every checkpoint's sequence with its head hash. Prints {@code OK} or the first sequence
 * that no longer matches; exit code 0 when the events match, 1 when they do not, 2 when the files cannot be read.
 */
public final class OfflineVerifier {

    static final String USAGE = """
            usage: java -jar ledger-api.jar verify --checkpoint <file> --events <file> --public-key <file>
              --checkpoint  one checkpoint as served in GET /api/bonds/{bondId}/checkpoints (or read from the
                            sib.ledger.checkpoints.v1 topic), or that whole answer (every checkpoint in it is used)
              --events      the bond's events from GET /api/bonds/{bondId}/export, or a dump of the topic
                            sib.ledger.events.v1 (its envelopes as a JSON array or one per line, e.g.
                            kcat -C -t sib.ledger.events.v1 -e -f '%s\\n'), of which the checkpoint's bond is checked
              --public-key  the ledger's public key: the answer of GET /api/ledger/public-key, its PEM, or base64 X.509
            Prints OK, or FAILED with the first sequence that no longer matches. Exit code 0 (OK), 1 (FAILED), 2 (usage).""";

    private static final ObjectMapper JSON = ContractsJson.newMapper();

    private OfflineVerifier() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path checkpointFile = null;
        Path eventsFile = null;
        Path keyFile = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("verify")) {
                continue;
            }
            if (i + 1 >= args.length) {
                err.println("Missing value for " + name + ".");
                err.println(USAGE);
                return 2;
            }
            Path value = Path.of(args[++i]);
            switch (name) {
                case "--checkpoint" -> checkpointFile = value;
                case "--events" -> eventsFile = value;
                case "--public-key" -> keyFile = value;
                default -> {
                    err.println("Unknown option '" + name + "'.");
                    err.println(USAGE);
                    return 2;
                }
            }
        }
        if (checkpointFile == null || eventsFile == null || keyFile == null) {
            err.println(USAGE);
            return 2;
        }
        PublicKey key;
        List<Checkpoint> checkpoints;
        HistoryExport.Events export;
        try {
            key = publicKey(Files.readString(keyFile, StandardCharsets.UTF_8));
            checkpoints = checkpoints(JSON.readTree(checkpointFile.toFile()));
            export = events(Files.readString(eventsFile, StandardCharsets.UTF_8),
                    checkpoints.isEmpty() ? null : checkpoints.get(0).bondId());
        } catch (IOException | IllegalArgumentException e) {
            err.println("Cannot read the files: " + e.getMessage());
            return 2;
        }
        if (checkpoints.isEmpty()) {
            err.println("The checkpoint file holds no checkpoint.");
            return 2;
        }
        out.println("public key " + Checkpoint.keyId(key));
        for (Checkpoint checkpoint : checkpoints) {
            if (!checkpoint.bondId().equals(export.bondId())) {
                out.println("FAILED: the checkpoint is of bond '" + checkpoint.bondId() + "', the events of '"
                        + export.bondId() + "'");
                return 1;
            }
            if (!checkpoint.verifies(key)) {
                out.println("FAILED: the checkpoint of sequence " + checkpoint.sequence() + " signed at "
                        + checkpoint.signedAt() + " is not signed by this key: it was altered, or is not this ledger's");
                return 1;
            }
        }
        ChainVerifier.Verdict verdict = ChainVerifier.verify(export.bondId(), export.events(), checkpoints);
        if (verdict.intact()) {
            long redacted = export.events().stream().filter(ChainVerifier.StoredEvent::redacted).count();
            out.println("OK: bond " + export.bondId() + ", " + verdict.eventsChecked() + " events"
                    + (redacted > 0 ? " (" + redacted + " redacted for this reader: followed on their hash, their"
                    + " content not recomputed)" : "") + ", head hash " + verdict.headHash()
                    + ", matching the signed checkpoint of sequence " + verdict.checkpointSequence());
            return 0;
        }
        out.println("FAILED: bond " + export.bondId() + ", first bad sequence " + verdict.firstBadSequence() + ": "
                + verdict.reason());
        return 1;
    }

    /**
     * The events file: the bond's export, or a dump of sib.ledger.events.v1 (envelopes as a JSON array, or one per
     * line), of which the checkpoint's bond's events are taken.
     */
    private static HistoryExport.Events events(String text, String bondId) throws IOException {
        List<JsonNode> values = new ArrayList<>();
        try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> documents =
                     JSON.readerFor(JsonNode.class).readValues(text)) {
            while (documents.hasNextValue()) {
                values.add(documents.nextValue());
            }
        }
        if (values.size() == 1 && values.get(0).has("events")) {
            return HistoryExport.read(values.get(0));
        }
        List<JsonNode> envelopes = new ArrayList<>();
        for (JsonNode value : values) {
            if (value.isArray()) {
                value.forEach(envelopes::add);
            } else {
                envelopes.add(value);
            }
        }
        if (envelopes.isEmpty() || bondId == null || !envelopes.get(0).has("eventId")) {
            throw new IllegalArgumentException("neither an export of a bond's events nor envelopes of sib.ledger.events.v1");
        }
        return HistoryExport.fromEnvelopes(bondId, envelopes);
    }

    private static PublicKey publicKey(String text) throws IOException {
        String trimmed = text.trim();
        if (trimmed.startsWith("{")) {
            JsonNode answer = JSON.readTree(trimmed);
            if (!answer.path("publicKey").isTextual()) {
                throw new IllegalArgumentException("the public key file is JSON without a publicKey field");
            }
            return SigningKey.publicKeyFrom(answer.get("publicKey").asText());
        }
        return SigningKey.publicKeyFrom(trimmed);
    }

    /** One checkpoint as served or published, a list of them, or the checkpoints API's whole answer. */
    static List<Checkpoint> checkpoints(JsonNode file) throws IOException {
        List<Checkpoint> checkpoints = new ArrayList<>();
        JsonNode items = file.has("items") ? file.get("items") : file.isArray() ? file : null;
        if (items == null) {
            checkpoints.add(checkpoint(file));
        } else {
            for (JsonNode item : items) {
                checkpoints.add(checkpoint(item));
            }
        }
        return checkpoints;
    }

    private static Checkpoint checkpoint(JsonNode node) throws IOException {
        for (String field : List.of("bondId", "sequence", "headHash", "signedAt", "signature")) {
            if (!node.hasNonNull(field)) {
                throw new IllegalArgumentException("a checkpoint lacks its " + field);
            }
        }
        return JSON.treeToValue(node, Checkpoint.class);
    }
}
