package org.sibledger.api.projection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.util.Arrays;
import java.util.List;

/**
 * The command-line switch {@code --replay=all} (or {@code --replay=performance,portfolio}): rebuilds those read models
 * from the event store once the ledger has started; the ledger serves meanwhile and the read models catch up.
 */
@Component
public class ReplayOnStart implements ApplicationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayOnStart.class);

    private final ReadModels readModels;
    private final String replay;

    public ReplayOnStart(ReadModels readModels, @Value("${replay:${sib.replay:}}") String replay) {
        this.readModels = readModels;
        this.replay = replay;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (replay.isBlank()) {
            return;
        }
        List<String> names = replay.trim().equals("all") ? readModels.names()
                : Arrays.stream(replay.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String name : names) {
            if (!readModels.names().contains(name)) {
                throw new IllegalArgumentException("--replay names '" + name + "', which is not a read model; known: "
                        + readModels.names());
            }
        }
        LOG.info("Rebuilding read models {} from the event store (--replay)", readModels.replay(names));
    }
}
