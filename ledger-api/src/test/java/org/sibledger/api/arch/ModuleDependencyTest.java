package org.sibledger.api.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module graph is the architecture: contracts <- ledger-core, contracts <- projections, and ledger-api on top.
 * Nothing depends on ledger-api; ledger-core knows nothing of HTTP, Kafka, Spring or read models; projections
 * never call ledger-core.
 */
class ModuleDependencyTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.sibledger");
    }

    @Test
    void contractsDependOnNoOtherModule() {
        noClasses().that().resideInAPackage("org.sibledger.contracts..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.sibledger.core..", "org.sibledger.projections..", "org.sibledger.api..",
                        "org.springframework..", "org.apache.kafka..")
                .check(classes);
    }

    @Test
    void coreKnowsNothingOfProjectionsApiHttpKafkaOrSpring() {
        noClasses().that().resideInAPackage("org.sibledger.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.sibledger.projections..", "org.sibledger.api..",
                        "org.springframework..", "org.apache.kafka..", "jakarta.servlet..", "java.sql..")
                .check(classes);
    }

    @Test
    void projectionsNeverCallTheCoreOrTheApi() {
        noClasses().that().resideInAPackage("org.sibledger.projections..")
                .should().dependOnClassesThat().resideInAnyPackage("org.sibledger.core..", "org.sibledger.api..",
                        "org.apache.kafka..")
                .check(classes);
    }

    @Test
    void allThreeLowerModulesArePresent() {
        // guards the rules above against passing on an empty import
        org.assertj.core.api.Assertions.assertThat(classes.stream().map(c -> c.getPackageName().split("\\.")[2])
                .distinct()).contains("contracts", "core", "projections", "api");
    }
}
