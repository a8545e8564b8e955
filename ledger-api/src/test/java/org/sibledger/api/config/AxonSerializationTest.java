package org.sibledger.api.config;

import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedType;
import org.junit.jupiter.api.Test;
import org.sibledger.api.rest.TermsDocumentReader;
import org.sibledger.api.support.Terms;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.StructureBondCommand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The serializers the event store and processors are configured with (Axon's auto-configured Jackson serializer over
 * the ledger's object mapper) read back what they wrote.
 */
class AxonSerializationTest {

    private final Serializer jackson = org.axonframework.serialization.json.JacksonSerializer.builder()
            .objectMapper(new AxonConfig().defaultAxonObjectMapper()).build();
    private final BondTerms terms = new TermsDocumentReader().read(Terms.rateCard("reboot-west"));

    @Test
    void eventsCommandsAndMetadataRoundTripWithTheirRevision() {
        Serializer events = jackson;
        BondStructuredEvent event = new BondStructuredEvent("reboot-west", terms);
        SerializedObject<byte[]> stored = events.serialize(event, byte[].class);
        assertThat(stored.getType().getRevision()).isEqualTo("1");
        assertThat(new String(stored.getData())).contains("\"price\":\"2750.00\"");
        assertThat((Object) events.deserialize(stored)).isEqualTo(event);

        Serializer messages = jackson;
        StructureBondCommand command = new StructureBondCommand("reboot-west", terms);
        assertThat((Object) messages.deserialize(messages.serialize(command, byte[].class))).isEqualTo(command);

        MetaData meta = MetaData.with("actor", "arranger").and("hash", "ab");
        assertThat((Object) events.deserialize(events.serialize(meta, byte[].class))).isEqualTo(meta);
    }

    @Test
    void trackingTokensRoundTrip() {
        Serializer general = jackson;
        TrackingToken token = ReplayToken.createReplayToken(new GlobalSequenceTrackingToken(42),
                new GlobalSequenceTrackingToken(7));
        SerializedObject<byte[]> stored = general.serialize(token, byte[].class);
        Object back = general.deserialize(new org.axonframework.serialization.SimpleSerializedObject<>(
                stored.getData(), byte[].class, new SimpleSerializedType(stored.getType().getName(),
                stored.getType().getRevision())));
        assertThat(back).isEqualTo(token);
    }
}
