package org.sibledger.core.integrity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The ledger's signed statement of a bond's head: "bond {@code bondId} had {@code sequence + 1} events, the last of
 * which has hash {@code headHash}, at {@code signedAt}". Since every event's hash covers the one before it, a
 * checkpoint fixes the whole history up to {@code sequence}: a party that keeps one can later tell whether events were
 * removed from the end or rewritten (even with every later hash recomputed), without trusting the operator's database.
 * <p>
 * The signature is Ed25519 over the UTF-8 bytes of {@link #signedContent()}: five lines, each ending in {@code \n},
 * <pre>
 * sib-ledger-checkpoint/v1
 * bondId=&lt;bond id&gt;
 * sequence=&lt;last sequence, decimal&gt;
 * headHash=&lt;hash of that event, 64 lower-case hex digits&gt;
 * signedAt=&lt;ISO-8601 UTC instant, milliseconds at most, as java.time.Instant prints it&gt;
 * </pre>
 * {@code keyId} (the first 16 hex digits of the SHA-256 of the public key's X.509 encoding) says which key signed it;
 * {@code signature} is the signature in base64.
 */
public record Checkpoint(String bondId, long sequence, String headHash, Instant signedAt, String keyId,
                         String signature) {

    public static final String ALGORITHM = "Ed25519";
    static final String FORMAT = "sib-ledger-checkpoint/v1";

    /** Signs the head of a bond now-ish: the time is kept to the millisecond, as it is stored and printed. */
    public static Checkpoint sign(String bondId, long sequence, String headHash, Instant at, PrivateKey key,
                                  PublicKey publicKey) {
        Instant signedAt = at.truncatedTo(ChronoUnit.MILLIS);
        byte[] content = content(bondId, sequence, headHash, signedAt);
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(content);
            return new Checkpoint(bondId, sequence, headHash, signedAt, keyId(publicKey),
                    Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the checkpoint of " + bondId + "#" + sequence, e);
        }
    }

    /** Whether {@code key} signed exactly these bond, sequence, head hash and time. */
    public boolean verifies(PublicKey key) {
        if (bondId == null || headHash == null || signedAt == null || signature == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(signedContent());
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false; // not base64, not a signature of this length: not a signature of this key
        }
    }

    /** The bytes the signature covers. */
    public byte[] signedContent() {
        return content(bondId, sequence, headHash, signedAt);
    }

    private static byte[] content(String bondId, long sequence, String headHash, Instant signedAt) {
        return (FORMAT + "\n"
                + "bondId=" + bondId + "\n"
                + "sequence=" + sequence + "\n"
                + "headHash=" + headHash + "\n"
                + "signedAt=" + signedAt + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The first 16 hex digits of the SHA-256 of the key's X.509 (SubjectPublicKeyInfo) encoding. */
    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
