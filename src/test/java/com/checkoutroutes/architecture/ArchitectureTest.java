package com.checkoutroutes.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package graph of the service (docs/architecture.md draws it): Antom's wire and signatures at the bottom, the
 * ledger above, the shared steps above that, the flows on top, and the operator console above them (its actions go
 * through the flows' rules); dependencies point down only, and flows never reach into each other. A new cycle or a
 * wrong-way import fails here.
 */
@AnalyzeClasses(packages = "com.checkoutroutes", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "com.checkoutroutes.";

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("com.checkoutroutes.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layersPointDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Application").definedBy("com.checkoutroutes")
            // the operator console: on top of the flows, whose rules its actions go through
            .layer("Console").definedBy(ROOT + "console..")
            // flows: one per route family; each is on its own
            .layer("OrderIntake").definedBy(ROOT + "orderintake..")
            .layer("Notifications").definedBy(ROOT + "notifications..")
            .layer("Reconciliation").definedBy(ROOT + "reconciliation..")
            .layer("CardCapture").definedBy(ROOT + "cardcapture..")
            .layer("Shipment").definedBy(ROOT + "shipment..")
            .layer("Refunds").definedBy(ROOT + "refunds..")
            .layer("Operations").definedBy(ROOT + "operations..")
            // who may call which HTTP door (Spring Security): configuration only, used by nothing of ours
            .layer("Access").definedBy(ROOT + "access..")
            // steps the flows share
            .layer("Results").definedBy(ROOT + "results..")
            .layer("Continuation").definedBy(ROOT + "continuation..")
            .layer("DeadLetter").definedBy(ROOT + "deadletter..")
            .layer("Scheduling").definedBy(ROOT + "scheduling..")
            // the ledger, Antom's wire, and the bottom
            .layer("Ledger").definedBy(ROOT + "ledger..")
            .layer("Gateway").definedBy(ROOT + "gateway..")
            .layer("Signature").definedBy(ROOT + "signature..")
            .layer("Platform").definedBy(ROOT + "platform..")
            // bottom too: the key-ordered Camel step (Camel and Kafka only), used by the flows' routes
            .layer("KeyOrdered").definedBy(ROOT + "keyordered..")
            .layer("Doors").definedBy(ROOT + "doors..")

            .whereLayer("Application").mayNotBeAccessedByAnyLayer()
            .whereLayer("Console").mayNotBeAccessedByAnyLayer()
            .whereLayer("Doors").mayNotBeAccessedByAnyLayer()
            .whereLayer("OrderIntake").mayNotBeAccessedByAnyLayer()
            .whereLayer("Notifications").mayNotBeAccessedByAnyLayer()
            .whereLayer("Reconciliation").mayNotBeAccessedByAnyLayer()
            .whereLayer("CardCapture").mayOnlyBeAccessedByLayers("Console")
            .whereLayer("Shipment").mayNotBeAccessedByAnyLayer()
            .whereLayer("Refunds").mayOnlyBeAccessedByLayers("Console")
            .whereLayer("Operations").mayOnlyBeAccessedByLayers("Console")
            .whereLayer("Access").mayNotBeAccessedByAnyLayer()
            .whereLayer("Results").mayOnlyBeAccessedByLayers(
                    "OrderIntake", "Notifications", "Reconciliation", "CardCapture", "Shipment", "Refunds", "Console")
            .whereLayer("Continuation").mayOnlyBeAccessedByLayers("OrderIntake", "Operations", "Console")
            .whereLayer("DeadLetter").mayOnlyBeAccessedByLayers("OrderIntake", "CardCapture", "Shipment", "Refunds",
                    "Operations", "Console")
            .whereLayer("Scheduling").mayOnlyBeAccessedByLayers("Reconciliation", "CardCapture", "Operations",
                    "DeadLetter", "Console")
            .whereLayer("Ledger").mayOnlyBeAccessedByLayers("OrderIntake", "Notifications", "Reconciliation",
                    "CardCapture", "Shipment", "Refunds", "Operations", "Results", "Continuation", "Console")
            .whereLayer("Gateway").mayOnlyBeAccessedByLayers("OrderIntake", "Notifications", "Reconciliation",
                    "CardCapture", "Shipment", "Operations", "Results", "Continuation")
            .whereLayer("Signature").mayOnlyBeAccessedByLayers("Application", "Gateway", "Notifications")
            .whereLayer("KeyOrdered").mayOnlyBeAccessedByLayers("OrderIntake", "Notifications", "Reconciliation",
                    "CardCapture", "Shipment", "Application")
            .whereLayer("Platform").mayOnlyBeAccessedByLayers("Console", "OrderIntake", "Notifications",
                    "Reconciliation", "CardCapture", "Shipment", "Refunds", "Operations", "Results", "Continuation",
                    "DeadLetter", "Scheduling", "Ledger", "Gateway", "Signature", "KeyOrdered", "Access", "Doors",
                    "Application");

    @ArchTest
    static final ArchRule gatewaySpeaksAntomOnly = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
            .that().resideInAPackage(ROOT + "gateway..")
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + "ledger..", ROOT + "orderintake..",
                    ROOT + "notifications..", ROOT + "results..")
            .because("the gateway speaks Antom's wire and the SDK's types only");
}
