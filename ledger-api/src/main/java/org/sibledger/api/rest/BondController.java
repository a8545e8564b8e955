package org.sibledger.api.rest;

import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.security.Visibility;
import org.sibledger.api.security.Principals;
import org.sibledger.contracts.bond.BondPage;
import org.sibledger.contracts.bond.BondStructuredEvent;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.ListBondsQuery;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.payout.PayoutPage;
import org.sibledger.contracts.stream.EventTypes;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Map;

/** Bonds: structure one from its terms document; list and read the bonds the principal is a party of. */
@RestController
@RequestMapping("/api/bonds")
public class BondController {

    private final TermsDocumentReader termsReader;
    private final LedgerCommands commands;
    private final QueryGateway queries;
    private final Visibility visibility;

    public BondController(TermsDocumentReader termsReader, LedgerCommands commands, QueryGateway queries,
                          Visibility visibility) {
        this.termsReader = termsReader;
        this.commands = commands;
        this.queries = queries;
        this.visibility = visibility;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> structure(@RequestBody(required = false) byte[] body,
                                                         @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey,
                                                         Authentication principal) {
        BondTerms terms = termsReader.read(body);
        commands.sendAndAwaitReadModels(new StructureBondCommand(terms.bondId(), terms), principal.getName(), idempotencyKey);
        return ResponseEntity.created(URI.create("/api/bonds/" + terms.bondId()))
                .body(JsonBodies.object("bondId", terms.bondId(), "status", "STRUCTURED",
                        "event", EventTypes.name(BondStructuredEvent.class)));
    }

    @GetMapping
    public BondPage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size,
                         Authentication principal) {
        Paging.check(page, size);
        String party = Principals.isAdmin(principal) ? null : principal.getName();
        return queries.query(new ListBondsQuery(party, page, size), BondPage.class).join();
    }

    @GetMapping("/{bondId}/payouts")
    public PayoutPage payouts(@PathVariable String bondId, @RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "50") int size, Authentication principal) {
        Paging.check(page, size);
        return visibility.payouts(bondId, page, size, principal);
    }

    @GetMapping("/{bondId}")
    public BondView get(@PathVariable String bondId, Authentication principal) {
        return visibility.bond(bondId, principal);
    }
}
