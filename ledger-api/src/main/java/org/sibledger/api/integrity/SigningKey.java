package org.sibledger.api.integrity;

import org.sibledger.core.integrity.Checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The ledger's own Ed25519 key pair, with which it signs checkpoints, from the JDK alone. The private key is kept as
 * a PKCS#8 PEM ("BEGIN PRIVATE KEY", what {@code openssl genpkey -algorithm ed25519} writes); the public key is
 * derived from it, so configuration needs only the private key.
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey) {

    private static final String PRIVATE_PEM = "PRIVATE KEY";
    private static final String PUBLIC_PEM = "PUBLIC KEY";

    public String keyId() {
        return Checkpoint.keyId(publicKey);
    }

    /** The public key's X.509 (SubjectPublicKeyInfo) encoding in base64. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    public String publicKeyPem() {
        return pem(PUBLIC_PEM, publicKey.getEncoded());
    }

    /** A new key pair. */
    public static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(Checkpoint.ALGORITHM).generateKeyPair();
            return new SigningKey(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
        }
    }

    /** The key in {@code file}, or a new one written there (readable by its owner only) when there is none yet. */
    public static SigningKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return fromPem(Files.readString(file, StandardCharsets.US_ASCII));
        }
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        SigningKey created = generate();
        Path temporary = Files.createTempFile(directory, ".checkpoint-key", ".tmp");
        try {
            trySetOwnerOnly(temporary);
            Files.writeString(temporary, created.privateKeyPem(), StandardCharsets.US_ASCII);
            // a link is created only if the name is free: of two nodes starting on one data folder, one key wins
            Files.createLink(file, temporary);
            return created;
        } catch (FileAlreadyExistsException e) {
            return fromPem(Files.readString(file, StandardCharsets.US_ASCII));
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A private key given as PKCS#8 PEM or as the base64 of its PKCS#8 encoding. */
    public static SigningKey fromPem(String text) {
        String base64 = text.replaceAll("-----(BEGIN|END) " + PRIVATE_PEM + "-----", "").replaceAll("\\s", "");
        byte[] pkcs8;
        try {
            pkcs8 = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the checkpoint signing key is not a PKCS#8 PEM or base64 text", e);
        }
        try {
            PrivateKey key = KeyFactory.getInstance(Checkpoint.ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new SigningKey(key, publicKeyOf((EdECPrivateKey) key));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("the checkpoint signing key is not an Ed25519 private key", e);
        }
    }

    /** A public key given as PEM ("BEGIN PUBLIC KEY") or as the base64 of its X.509 encoding. */
    public static PublicKey publicKeyFrom(String text) {
        String base64 = text.replaceAll("-----(BEGIN|END) " + PUBLIC_PEM + "-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance(Checkpoint.ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key in PEM or base64 X.509: " + e.getMessage(), e);
        }
    }

    String privateKeyPem() {
        return pem(PRIVATE_PEM, privateKey.getEncoded());
    }

    /**
     * The JDK has no call that derives an Ed25519 public key from a private one, but its key pair generator takes the
     * 32 bytes of the private key from the random source it is given: given exactly those bytes, it computes the
     * matching public key. The result is checked, so another provider's generator fails here instead of signing
     * with a key that does not match the published one.
     */
    private static PublicKey publicKeyOf(EdECPrivateKey key) throws GeneralSecurityException {
        byte[] seed = key.getBytes().orElseThrow(() -> new GeneralSecurityException("the private key hides its bytes"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance(Checkpoint.ALGORITHM);
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
            }
        });
        KeyPair pair = generator.generateKeyPair();
        byte[] derived = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(new byte[0]);
        if (!Arrays.equals(seed, derived)) {
            throw new GeneralSecurityException("cannot derive the public key of the configured private key");
        }
        return pair.getPublic();
    }

    private static void trySetOwnerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's own permissions protect it
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
