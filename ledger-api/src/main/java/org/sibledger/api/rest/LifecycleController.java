package org.sibledger.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.contracts.bond.AdmitPartyCommand;
import org.sibledger.contracts.bond.ConsentToAmendmentCommand;
import org.sibledger.contracts.bond.DeclineAmendmentCommand;
import org.sibledger.contracts.bond.ProposeAmendmentCommand;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.CloseBondCommand;
import org.sibledger.contracts.bond.MatureBondCommand;
import org.sibledger.contracts.bond.PartyRole;
import org.sibledger.contracts.investment.CallGuaranteeCommand;
import org.sibledger.contracts.investment.DisburseFundsCommand;
import org.sibledger.contracts.investment.DistributeCommand;
import org.sibledger.contracts.investment.IncreaseCommitmentCommand;
import org.sibledger.contracts.investment.WithdrawCommitmentCommand;
import org.sibledger.contracts.measurement.DisputeResolution;
import org.sibledger.contracts.measurement.ResolveDisputeCommand;
import org.sibledger.contracts.bond.OpenBondCommand;
import org.sibledger.contracts.cohort.EnrolParticipantsCommand;
import org.sibledger.contracts.cohort.OpenCohortCommand;
import org.sibledger.api.security.BondAccess;
import org.sibledger.contracts.common.CommandRefusedException;
import org.sibledger.contracts.common.ContractsJson;
import org.sibledger.contracts.investment.CallCapitalCommand;
import org.sibledger.contracts.investment.FundCapitalCallCommand;
import org.sibledger.contracts.investment.MakeCommitmentCommand;
import org.sibledger.contracts.measurement.DecideOnMeasurementCommand;
import org.sibledger.contracts.measurement.Decision;
import org.sibledger.contracts.measurement.SubmitMeasurementCommand;
import org.sibledger.contracts.payout.SettlePayoutCommand;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The commands of a bond's life over REST (API.md): each request body is read strictly, turned into one command
 * stamped with the principal and the Idempotency-Key, and decided by the Bond aggregate, whose refusals become
 * problem details. The principal acts as itself: who may do what on which bond is the aggregate's decision.
 */
@RestController
@RequestMapping(path = "/api/bonds/{bondId}", consumes = MediaType.APPLICATION_JSON_VALUE)
public class LifecycleController {

    private static final String KEY = "Idempotency-Key";

    private final ObjectMapper json = ContractsJson.newMapper();
    private final LedgerCommands commands;
    private final TermsDocumentReader termsReader;
    private final BondAccess access;

    public LifecycleController(LedgerCommands commands, TermsDocumentReader termsReader, BondAccess access) {
        this.commands = commands;
        this.termsReader = termsReader;
        this.access = access;
    }

    record AmendmentRequest(JsonNode terms, String reason, LocalDate effectiveFrom) {
    }

    record DeclineRequest(String reason) {
    }

    record PartyRequest(PartyRole role, String partyId) {
    }

    record CommitmentChangeRequest(String tranche, BigDecimal amount) {
    }

    record DisbursementRequest(String providerId, BigDecimal amount) {
    }

    record DistributionRequest(BigDecimal amount, LocalDate date) {
    }

    record GuaranteeCallRequest(LocalDate date) {
    }

    record ResolutionRequest(DisputeResolution resolution, String reason) {
    }

    @PostMapping("/amendments")
    public ResponseEntity<Map<String, Object>> amend(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                     @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        AmendmentRequest request = read(body, AmendmentRequest.class, "AmendmentRequest");
        BondTerms terms = termsReader.read(request.terms(), "/terms");
        String proposalId = idFor("amendment", key);
        send(bondId, new ProposeAmendmentCommand(bondId, proposalId, terms, request.reason(), request.effectiveFrom()),
                who, key);
        return created("/api/bonds/" + bondId + "/amendments", JsonBodies.object("bondId", bondId,
                "proposalId", proposalId, "status", "PROPOSED"));
    }

    /** A party whose consent the variation needs consents, for itself; the last consent makes it take effect. */
    @PostMapping("/amendments/{proposalId}/consent")
    public ResponseEntity<Map<String, Object>> consent(@PathVariable String bondId, @PathVariable String proposalId,
                                                       @RequestHeader(value = KEY, required = false) String key,
                                                       Authentication who) {
        send(bondId, new ConsentToAmendmentCommand(bondId, proposalId), who, key);
        return ResponseEntity.ok(JsonBodies.object("proposalId", proposalId, "partyId", who.getName(),
                "status", "CONSENTED"));
    }

    /** A party whose consent the variation needs declines it (or the arranger withdraws it): the proposal ends. */
    @PostMapping("/amendments/{proposalId}/decline")
    public ResponseEntity<Map<String, Object>> decline(@PathVariable String bondId, @PathVariable String proposalId,
                                                       @RequestBody(required = false) byte[] body,
                                                       @RequestHeader(value = KEY, required = false) String key,
                                                       Authentication who) {
        DeclineRequest request = read(body, DeclineRequest.class, null);
        send(bondId, new DeclineAmendmentCommand(bondId, proposalId, request.reason()), who, key);
        return ResponseEntity.ok(JsonBodies.object("proposalId", proposalId, "partyId", who.getName(),
                "status", "DECLINED"));
    }

    @PostMapping("/parties")
    public ResponseEntity<Map<String, Object>> admit(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                     @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        PartyRequest request = read(body, PartyRequest.class, "PartyRequest");
        send(bondId, new AdmitPartyCommand(bondId, request.role(), request.partyId()), who, key);
        return created("/api/bonds/" + bondId, JsonBodies.object("partyId", String.valueOf(request.partyId()),
                "role", String.valueOf(request.role())));
    }

    @PostMapping("/commitments/increase")
    public ResponseEntity<Map<String, Object>> increase(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                        @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        CommitmentChangeRequest request = read(body, CommitmentChangeRequest.class, "CommitmentIncreaseRequest");
        send(bondId, new IncreaseCommitmentCommand(bondId, who.getName(), request.tranche(), request.amount()), who, key);
        return ResponseEntity.ok(JsonBodies.object("investorId", who.getName(), "tranche", String.valueOf(request.tranche())));
    }

    @PostMapping("/commitments/withdrawal")
    public ResponseEntity<Map<String, Object>> withdraw(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                        @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        CommitmentChangeRequest request = read(body, CommitmentChangeRequest.class, "CommitmentWithdrawalRequest");
        send(bondId, new WithdrawCommitmentCommand(bondId, who.getName(), request.tranche()), who, key);
        return ResponseEntity.ok(JsonBodies.object("investorId", who.getName(), "tranche", String.valueOf(request.tranche())));
    }

    @PostMapping("/disbursements")
    public ResponseEntity<Map<String, Object>> disburse(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                        @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        DisbursementRequest request = read(body, DisbursementRequest.class, "DisbursementRequest");
        String disbursementId = idFor("disb", key);
        send(bondId, new DisburseFundsCommand(bondId, disbursementId, request.providerId(), request.amount()), who, key);
        return created("/api/bonds/" + bondId + "/history", JsonBodies.object("disbursementId", disbursementId));
    }

    @PostMapping("/distributions")
    public ResponseEntity<Map<String, Object>> distribute(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                          @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        DistributionRequest request = read(body, DistributionRequest.class, "DistributionRequest");
        String distributionId = idFor("dist", key);
        send(bondId, new DistributeCommand(bondId, distributionId, request.amount(), request.date()), who, key);
        return created("/api/bonds/" + bondId + "/history", JsonBodies.object("distributionId", distributionId));
    }

    @PostMapping(path = "/maturity", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Map<String, Object>> mature(@PathVariable String bondId,
                                                      @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        send(bondId, new MatureBondCommand(bondId), who, key);
        return ResponseEntity.ok(JsonBodies.object("bondId", bondId, "status", "MATURED"));
    }

    @PostMapping("/guarantee-call")
    public ResponseEntity<Map<String, Object>> callGuarantee(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                             @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        GuaranteeCallRequest request = read(body, GuaranteeCallRequest.class, "GuaranteeCallRequest");
        send(bondId, new CallGuaranteeCommand(bondId, request.date()), who, key);
        return ResponseEntity.ok(JsonBodies.object("bondId", bondId, "guaranteeCalled", true));
    }

    @PostMapping(path = "/closing", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Map<String, Object>> close(@PathVariable String bondId,
                                                     @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        send(bondId, new CloseBondCommand(bondId), who, key);
        return ResponseEntity.ok(JsonBodies.object("bondId", bondId, "status", "CLOSED"));
    }

    @PostMapping("/measurements/{measurementId}/dispute-resolution")
    public ResponseEntity<Map<String, Object>> resolve(@PathVariable String bondId, @PathVariable String measurementId,
                                                       @RequestBody(required = false) byte[] body,
                                                       @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        ResolutionRequest request = read(body, ResolutionRequest.class, "ResolutionRequest");
        send(bondId, new ResolveDisputeCommand(bondId, measurementId, request.resolution(), request.reason()), who, key);
        return ResponseEntity.ok(JsonBodies.object("measurementId", measurementId, "resolution", String.valueOf(request.resolution())));
    }

    record CommitmentRequest(String investorId, String tranche, BigDecimal amount) {
    }

    record CapitalCallRequest(BigDecimal amount, LocalDate dueDate) {
    }

    record FundingRequest(BigDecimal amount) {
    }

    record CohortRequest(String cohortId, String name, Integer size, LocalDate startDate) {
    }

    record ParticipantRequest(String participantRef) {
    }

    record DecisionRequest(Decision decision, String reason) {
    }

    @PostMapping("/commitments")
    public ResponseEntity<Map<String, Object>> commit(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                      @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        CommitmentRequest request = read(body, CommitmentRequest.class, "CommitmentRequest");
        String investor = request.investorId() != null ? request.investorId() : who.getName();
        send(bondId, new MakeCommitmentCommand(bondId, investor, request.tranche(), request.amount()), who, key);
        return created("/api/bonds/" + bondId + "/commitments", JsonBodies.object("bondId", bondId, "investorId", investor,
                "tranche", String.valueOf(request.tranche())));
    }

    @PostMapping(path = "/opening", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Map<String, Object>> open(@PathVariable String bondId,
                                                    @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        send(bondId, new OpenBondCommand(bondId), who, key);
        return ResponseEntity.ok(JsonBodies.object("bondId", bondId, "status", "OPEN"));
    }

    @PostMapping("/capital-calls")
    public ResponseEntity<Map<String, Object>> call(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                    @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        CapitalCallRequest request = read(body, CapitalCallRequest.class, "CapitalCallRequest");
        String callId = idFor("call", key);
        send(bondId, new CallCapitalCommand(bondId, callId, request.amount(), request.dueDate()), who, key);
        return created("/api/bonds/" + bondId + "/capital-calls/" + callId, JsonBodies.object("callId", callId));
    }

    @PostMapping("/capital-calls/{callId}/fundings")
    public ResponseEntity<Map<String, Object>> fund(@PathVariable String bondId, @PathVariable String callId,
                                                    @RequestBody(required = false) byte[] body,
                                                    @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        FundingRequest request = read(body, FundingRequest.class, "FundingRequest");
        send(bondId, new FundCapitalCallCommand(bondId, callId, who.getName(), request.amount()), who, key);
        return created("/api/bonds/" + bondId + "/capital-calls/" + callId, JsonBodies.object("callId", callId));
    }

    @PostMapping("/cohorts")
    public ResponseEntity<Map<String, Object>> cohort(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                      @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        CohortRequest request = read(body, CohortRequest.class, "CohortRequest");
        if (request.size() == null) {
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "missing-field", "size is required",
                    List.of(new CommandRefusedException.FieldViolation("/size", "is required"))).with("/size");
        }
        send(bondId, new OpenCohortCommand(bondId, request.cohortId(), request.name(), request.size(), request.startDate()),
                who, key);
        return created("/api/bonds/" + bondId + "/cohorts/" + request.cohortId(), JsonBodies.object("cohortId", String.valueOf(request.cohortId())));
    }

    @PostMapping("/cohorts/{cohortId}/participants")
    public ResponseEntity<Map<String, Object>> enrol(@PathVariable String bondId, @PathVariable String cohortId,
                                                     @RequestBody(required = false) byte[] body,
                                                     @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        ParticipantRequest[] request = read(body, ParticipantRequest[].class, "ParticipantsRequest");
        List<String> refs = java.util.Arrays.stream(request).map(p -> p == null ? null : p.participantRef()).toList();
        send(bondId, new EnrolParticipantsCommand(bondId, cohortId, refs), who, key);
        return created("/api/bonds/" + bondId + "/cohorts/" + cohortId, JsonBodies.object("cohortId", cohortId, "enrolled", refs.size()));
    }

    @PostMapping("/measurements")
    public ResponseEntity<Map<String, Object>> submit(@PathVariable String bondId, @RequestBody(required = false) byte[] body,
                                                      @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        SubmitMeasurementCommand command = MeasurementSubmissions.read(json, bondId,
                MeasurementSubmissions.validated(JsonBodies.parse(json, body)), idFor("m", key));
        String measurementId = command.measurementId();
        try {
            send(bondId, command, who, key);
        } catch (CommandRefusedException e) {
            // the REST body is the measurement itself, not a command holding one under "/measurement"
            throw e.rerooted("/measurement", "");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/bonds/" + bondId + "/measurements/" + measurementId))
                .body(JsonBodies.object("measurementId", measurementId, "status", "SUBMITTED"));
    }

    @PostMapping("/measurements/{measurementId}/decision")
    public ResponseEntity<Map<String, Object>> decide(@PathVariable String bondId, @PathVariable String measurementId,
                                                      @RequestBody(required = false) byte[] body,
                                                      @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        DecisionRequest request = read(body, DecisionRequest.class, "DecisionRequest");
        send(bondId, new DecideOnMeasurementCommand(bondId, measurementId, request.decision(), request.reason()),
                who, key);
        return ResponseEntity.ok(JsonBodies.object("measurementId", measurementId, "decision", String.valueOf(request.decision())));
    }

    @PostMapping(path = "/payouts/{payoutId}/settlement", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<Map<String, Object>> settle(@PathVariable String bondId, @PathVariable String payoutId,
                                                      @RequestHeader(value = KEY, required = false) String key, Authentication who) {
        send(bondId, new SettlePayoutCommand(bondId, payoutId), who, key);
        return ResponseEntity.ok(JsonBodies.object("payoutId", payoutId, "status", "SETTLED"));
    }

    /**
     * Sends a command on the bond, as the principal. Who is no party of the bond learns nothing from the answer: it
     * is the same 404 as for a bond that does not exist (BondAccess), whether the read models or the bond refuse.
     */
    private void send(String bondId, Object command, Authentication who, String key) {
        access.hideFromNonParty(bondId, who);
        try {
            commands.sendAndAwaitReadModels(command, who.getName(), key);
        } catch (CommandRefusedException e) {
            throw access.hideRefusal(bondId, who, e);
        }
    }

    /** A server-chosen id; derived from the Idempotency-Key when there is one, so a retry names the same thing. */
    private static String idFor(String prefix, String key) {
        return prefix + "-" + (key == null || key.isBlank() ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * A request body read strictly into its record, then its amounts, counts and dates checked against the bounds
     * its schema in openapi.yaml declares ({@code requestSchema}; null for a body that carries none), before any bond
     * is asked (RequestBounds).
     */
    private <T> T read(byte[] body, Class<T> type, String requestSchema) {
        JsonNode tree = JsonBodies.parse(json, body);
        T request = convert(tree, type);
        if (requestSchema != null) {
            RequestBounds.check(requestSchema, tree);
        }
        return request;
    }

    private <T> T convert(Object tree, Class<T> type) {
        try {
            return json.convertValue(tree, type);
        } catch (IllegalArgumentException e) {
            String pointer = e.getCause() instanceof JsonMappingException mapping ? JsonBodies.pointer(mapping) : "/";
            String message = e.getCause() instanceof JsonProcessingException processing
                    ? JsonErrors.describe(processing) : "is not valid here";
            throw new CommandRefusedException(CommandRefusedException.Kind.INVALID, "invalid-request",
                    "The request body does not fit: " + message,
                    List.of(new CommandRefusedException.FieldViolation(pointer, message))).with(pointer, message);
        }
    }

    private static ResponseEntity<Map<String, Object>> created(String location, Map<String, Object> body) {
        return ResponseEntity.created(URI.create(location)).body(body);
    }
}
