package org.sibledger.api.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One ledger node per test class, on a database of its own, started as {@code java -jar} starts it and closed after
 * the class: {@code @RegisterExtension static final LedgerNodeExtension node = new LedgerNodeExtension();}
 */
public final class LedgerNodeExtension implements BeforeAllCallback, AfterAllCallback {

    private final String[] args;
    private String database;
    private LedgerNode node;

    public LedgerNodeExtension(String... args) {
        this.args = args;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        new InfrastructureExtension().beforeAll(context);
        database = TestInfrastructure.get().newDatabase();
        node = LedgerNode.start(database, args);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (node != null) {
            node.close();
        }
    }

    /** Stops the node and starts another on the same database with these arguments. */
    public void restart(String... newArgs) {
        node.close();
        node = LedgerNode.start(database, newArgs);
    }

    public LedgerNode node() {
        return node;
    }

    public Api api(String user) {
        return node.api(user);
    }

    public Api api(String user, String password) {
        return node.api(user, password);
    }

    public Api anonymous() {
        return node.anonymous();
    }

    public org.springframework.jdbc.core.JdbcTemplate sql() {
        return node.sql();
    }

    public <T> T bean(Class<T> type) {
        return node.bean(type);
    }

    public <T> T bean(String name, Class<T> type) {
        return node.bean(name, type);
    }
}
