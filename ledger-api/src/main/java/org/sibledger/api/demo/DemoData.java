package org.sibledger.api.demo;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.sibledger.api.command.LedgerCommands;
import org.sibledger.api.projection.ReadModels;
import org.sibledger.api.rest.TermsDocumentReader;
import org.sibledger.contracts.bond.BondTerms;
import org.sibledger.contracts.bond.BondView;
import org.sibledger.contracts.bond.FindBondQuery;
import org.sibledger.contracts.bond.StructureBondCommand;
import org.sibledger.contracts.common.CommandRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * With {@code --demo}: structures the demo bonds in classpath:demo/ (public UK examples and Israeli bonds), each
 * by its arranger, and plays its life from commitments to distributions ({@link DemoStories}); every demo command has a fixed
 * idempotency key, so loading the demo again changes nothing.
 */
@Component
@ConditionalOnProperty(name = "sib.demo", havingValue = "true")
public class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final TermsDocumentReader reader;
    private final LedgerCommands commands;
    private final QueryGateway queries;
    private final DemoStories stories;

    public DemoData(TermsDocumentReader reader, LedgerCommands commands, QueryGateway queries, ReadModels readModels) {
        this.reader = reader;
        this.commands = commands;
        this.queries = queries;
        this.stories = new DemoStories(commands, queries, readModels);
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        Resource[] documents = new PathMatchingResourcePatternResolver().getResources("classpath:demo/*.json");
        Arrays.sort(documents, Comparator.comparing(Resource::getFilename));
        for (Resource document : documents) {
            BondTerms terms = reader.read(document.getContentAsString(StandardCharsets.UTF_8));
            Optional<BondView> existing = queries.query(new FindBondQuery(terms.bondId()),
                    ResponseTypes.optionalInstanceOf(BondView.class)).join();
            if (existing.isEmpty()) {
                try {
                    commands.sendAsOf(new StructureBondCommand(terms.bondId(), terms), terms.parties().arranger(),
                            "demo-" + terms.bondId(), DemoStories.structuredOn(terms));
                    log.info("demo bond structured: {} ({})", terms.bondId(), terms.name());
                } catch (CommandRefusedException alreadyThere) {
                    log.info("demo bond {} not structured: {}", terms.bondId(), alreadyThere.getMessage());
                }
            }
            try {
                stories.tell(terms);
            } catch (CommandRefusedException otherStory) {
                // a data directory from an older demo, whose bond lived another life: it stays as it is
                log.warn("demo story of {} not told: {}", terms.bondId(), otherStory.getMessage());
            }
        }
    }
}
