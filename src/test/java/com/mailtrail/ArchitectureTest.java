package com.mailtrail;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** Dependencies run one way: parse knows nothing of ours; ingest and the pages build on it, never the reverse. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.mailtrail");
    }

    @Test
    void parseDependsOnNothingOfOursAndNotOnSpring() {
        noClasses().that().resideInAPackage("com.mailtrail.parse..")
                .should().dependOnClassesThat().resideInAnyPackage("com.mailtrail.ingest..", "com.mailtrail.message..",
                        "com.mailtrail.dashboard..", "com.mailtrail.generate..", "com.mailtrail.cli..",
                        "com.mailtrail.system..", "org.springframework..", "jakarta.persistence..")
                .check(classes);
    }

    @Test
    void theReadSideDoesNotReachIntoTheWritePath() {
        noClasses().that().resideInAnyPackage("com.mailtrail.message..", "com.mailtrail.dashboard..")
                .should().dependOnClassesThat().resideInAnyPackage("com.mailtrail.ingest..", "com.mailtrail.cli..")
                .check(classes);
    }

    @Test
    void generatorOnlyKnowsTheLogGrammar() {
        noClasses().that().resideInAPackage("com.mailtrail.generate..")
                .should().dependOnClassesThat().resideInAnyPackage("com.mailtrail.ingest..", "com.mailtrail.message..",
                        "com.mailtrail.dashboard..", "com.mailtrail.system..", "org.springframework..")
                .check(classes);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("com.mailtrail.(*)..").should().beFreeOfCycles().check(classes);
    }
}
