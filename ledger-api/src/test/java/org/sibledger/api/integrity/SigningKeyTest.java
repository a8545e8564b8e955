package org.sibledger.api.integrity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sibledger.core.integrity.Checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checkpoint signing key: created once in the data folder and reused, or taken from configuration. */
class SigningKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void theKeyFileIsCreatedOnceAndReusedOnTheNextStart() throws Exception {
        Path file = dataDir.resolve("checkpoint-signing-key.pem");
        SigningKey first = new CheckpointConfig().checkpointSigningKey(new CheckpointSettings(null, null, "t", java.time.Duration.ofSeconds(1)),
                dataDir.toString(), true);
        assertThat(file).exists();
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(dataDir)).containsExactly(file); // no temporary file left

        SigningKey again = new CheckpointConfig().checkpointSigningKey(new CheckpointSettings(null, null, "t", java.time.Duration.ofSeconds(1)),
                dataDir.toString(), true);
        assertThat(again.publicKey().getEncoded()).isEqualTo(first.publicKey().getEncoded());
        assertThat(again.keyId()).isEqualTo(first.keyId());
        Checkpoint signedBefore = Checkpoint.sign("b", 3, "0".repeat(64), Instant.now(), first.privateKey(), first.publicKey());
        assertThat(signedBefore.verifies(again.publicKey())).isTrue();
    }

    @Test
    void theDerivedPublicKeyMatchesThePrivateKey() {
        SigningKey generated = SigningKey.generate();
        SigningKey read = SigningKey.fromPem(generated.privateKeyPem());
        assertThat(read.publicKey().getEncoded()).isEqualTo(generated.publicKey().getEncoded());
        Checkpoint signed = Checkpoint.sign("b", 0, "1".repeat(64), Instant.now(), read.privateKey(), read.publicKey());
        assertThat(signed.verifies(generated.publicKey())).isTrue();
        assertThat(SigningKey.publicKeyFrom(generated.publicKeyPem()).getEncoded())
                .isEqualTo(SigningKey.publicKeyFrom(generated.publicKeyBase64()).getEncoded());
    }

    @Test
    void aConfiguredKeyWinsOverTheFileAndAConfiguredFileOverTheDataFolder() throws Exception {
        SigningKey configured = SigningKey.generate();
        String base64 = Base64.getEncoder().encodeToString(configured.privateKey().getEncoded());
        SigningKey used = new CheckpointConfig().checkpointSigningKey(new CheckpointSettings(base64, null, "t", java.time.Duration.ofSeconds(1)),
                dataDir.toString(), true);
        assertThat(used.keyId()).isEqualTo(configured.keyId());
        assertThat(dataDir.resolve("checkpoint-signing-key.pem")).doesNotExist();

        Path file = Files.writeString(dataDir.resolve("elsewhere.pem"), configured.privateKeyPem());
        assertThat(new CheckpointConfig().checkpointSigningKey(new CheckpointSettings(" ", file.toString(), "t", java.time.Duration.ofSeconds(1)),
                dataDir.toString(), true).keyId()).isEqualTo(configured.keyId());
        assertThat(dataDir.resolve("checkpoint-signing-key.pem")).doesNotExist();
    }

    @Test
    void aKeyThatIsNotEd25519IsRefusedAtStart() throws Exception {
        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String notEd25519 = Base64.getEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded());
        assertThatThrownBy(() -> SigningKey.fromPem(notEd25519)).hasMessageContaining("not an Ed25519 private key");
        assertThatThrownBy(() -> SigningKey.fromPem("not a key!")).hasMessageContaining("not a PKCS#8 PEM");
    }
}
