package dev.diffulab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of the code, checked on the compiled classes (ArchUnit): {@code core} is plain Java
 * (no JavaFX, no DJL), only {@code engine} touches DJL, no two packages depend on each other in
 * a cycle, the window and the command line reach the engine only through {@code LabService},
 * and inside the engine the model does not know the families, the families do not know how runs,
 * checkpoints or methods use them, and the method layer does not know the trainer.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMain() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.diffulab");
  }

  static final ArchRule CORE_IS_PLAIN_JAVA = noClasses().that()
      .resideInAPackage("dev.diffulab.core..")
      .should().dependOnClassesThat().resideInAnyPackage("javafx..", "ai.djl..")
      .because("core is the model of the lab, testable without a window or an engine");

  static final ArchRule ONLY_THE_ENGINE_USES_DJL = noClasses().that()
      .resideOutsideOfPackage("dev.diffulab.engine..")
      .should().dependOnClassesThat().resideInAPackage("ai.djl..")
      .because("every DJL object lives on the engine thread");

  static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.diffulab.(**)")
      .should().beFreeOfCycles();

  static final ArchRule THE_MODEL_KNOWS_NO_FAMILY = noClasses().that()
      .resideInAPackage("dev.diffulab.engine.model..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.diffulab.engine.masked..",
          "dev.diffulab.engine.cdcd..", "dev.diffulab.engine.method..",
          "dev.diffulab.engine.train..", "dev.diffulab.engine.checkpoint..")
      .because("the transformer is shared; families build on it, not the other way round");

  static final ArchRule FAMILIES_ARE_BUILDING_BLOCKS = noClasses().that()
      .resideInAnyPackage("dev.diffulab.engine.masked..", "dev.diffulab.engine.cdcd..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.diffulab.engine.method..",
          "dev.diffulab.engine.train..", "dev.diffulab.engine.checkpoint..")
      .because("a family's objective, sampler and preview take a model, not a run or a"
          + " checkpoint; DiffusionMethod puts them together");

  static final ArchRule METHODS_DO_NOT_KNOW_THE_TRAINER = noClasses().that()
      .resideInAPackage("dev.diffulab.engine.method..")
      .should().dependOnClassesThat().resideInAnyPackage("dev.diffulab.engine.train..",
          "dev.diffulab.engine.bench..", "dev.diffulab.ui..", "dev.diffulab.cli..")
      .because("the training loop, the CLI and the UI dispatch through DiffusionMethod");

  static final ArchRule THE_UI_REACHES_THE_ENGINE_THROUGH_THE_SERVICE = noClasses().that()
      .resideOutsideOfPackage("dev.diffulab.engine..")
      .should().dependOnClassesThat(com.tngtech.archunit.core.domain.JavaClass.Predicates
          .resideInAPackage("dev.diffulab.engine..")
          .and(com.tngtech.archunit.base.DescribedPredicate.not(
              com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf(
                  dev.diffulab.engine.LabService.class))))
      .because("the window and the command line ask the engine with plain requests and get"
          + " snapshots back; no engine object (held by the engine thread) reaches a view or a"
          + " command");

  /** The number-taking arithmetic of DJL's NDArray, unsafe under autograd (see Scalars). */
  static final java.util.Set<String> NUMBER_ARITHMETIC = java.util.Set.of("mul", "div", "add",
      "sub", "pow", "maximum", "minimum", "rsub", "rdiv", "mod", "muli", "divi", "addi", "subi",
      "powi", "rsubi", "rdivi", "modi");

  static final com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaMethodCall> ARITHMETIC_WITH_A_NUMBER = com.tngtech.archunit.base.DescribedPredicate
      .describe(
          "NDArray arithmetic with a Number (its temporary is freed under the graph)",
          call -> call.getTarget().getOwner().isAssignableTo("ai.djl.ndarray.NDArray")
              && NUMBER_ARITHMETIC.contains(call.getTarget().getName())
              && call.getTarget().getRawParameterTypes().size() == 1
              && call.getTarget().getRawParameterTypes().get(0)
                  .isEquivalentTo(Number.class));

  /** DJL calls that do NDArray arithmetic with a Number inside (checked in DJL 0.35.1). */
  static final com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaMethodCall> DJL_NUMBER_ARITHMETIC_INSIDE = com.tngtech.archunit.base.DescribedPredicate
      .describe("DJL's swish (σ(β·x) by NDArray.mul(Number))",
          call -> call.getTarget().getOwner().isAssignableTo("ai.djl.nn.Activation")
              && call.getTarget().getName().equals("swish"));

  static final ArchRule NO_NUMBER_ARITHMETIC_ON_ARRAYS = noClasses().that()
      .doNotHaveFullyQualifiedName("dev.diffulab.engine.model.Scalars")
      .should().callMethodWhere(ARITHMETIC_WITH_A_NUMBER)
      .orShould().callMethodWhere(DJL_NUMBER_ARITHMETIC_INSIDE)
      .because("DJL wraps the number in a Java buffer that the GC frees while libtorch's graph"
          + " still reads it in the backward pass: NaN gradients that come and go; use Scalars");

  /** The packages that hold a family's own code, which alone may ask which family it is. */
  static final String[] FAMILY_PACKAGES = {"dev.diffulab.core.cdcd..",
      "dev.diffulab.engine.method..", "dev.diffulab.engine.masked..",
      "dev.diffulab.engine.cdcd..", "dev.diffulab.engine.ar..", "dev.diffulab.engine.latent.."};

  static final ArchRule NO_FAMILY_SWITCHES = noClasses().that()
      .resideOutsideOfPackages(FAMILY_PACKAGES)
      // the descriptor itself, its constants' own bodies included; every other config type
      // (the memory estimate, the run config) asks it, not which family it is
      .and().haveNameNotMatching("dev\\.diffulab\\.core\\.config\\.Method(\\$.*)?")
      .should().accessField(dev.diffulab.core.config.Method.class, "MASKED")
      .orShould().accessField(dev.diffulab.core.config.Method.class, "CDCD")
      .orShould().accessField(dev.diffulab.core.config.Method.class, "AUTOREGRESSIVE")
      .orShould().accessField(dev.diffulab.core.config.Method.class, "AUTOENCODER")
      .because("a family describes itself (Method's properties, DiffusionMethod): the window,"
          + " the command line, the bench and the estimates render from that and never ask"
          + " which family they hold, so a new family touches no switch");

  @Test
  void nothingOutsideTheFamiliesAsksWhichFamilyItHolds() {
    NO_FAMILY_SWITCHES.check(main);
  }

  @Test
  void theUiAndTheCommandLineUseOnlyTheEngineService() {
    THE_UI_REACHES_THE_ENGINE_THROUGH_THE_SERVICE.check(main);
  }

  @Test
  void coreUsesNeitherJavaFxNorDjl() {
    CORE_IS_PLAIN_JAVA.check(main);
  }

  @Test
  void onlyTheEngineUsesDjl() {
    ONLY_THE_ENGINE_USES_DJL.check(main);
  }

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    NO_PACKAGE_CYCLES.check(main);
  }

  @Test
  void theEngineIsLayered() {
    THE_MODEL_KNOWS_NO_FAMILY.check(main);
    FAMILIES_ARE_BUILDING_BLOCKS.check(main);
    METHODS_DO_NOT_KNOW_THE_TRAINER.check(main);
  }

  @Test
  void arithmeticWithANumberGoesThroughScalars() {
    NO_NUMBER_ARITHMETIC_ON_ARRAYS.check(main);
  }

  @Test
  void theRulesCatchViolations() {
    JavaClasses fixture = new ClassFileImporter().importPackages("dev.diffulab.archfixture");
    EvaluationResult cycles = slices().matching("dev.diffulab.archfixture.(**)")
        .should().beFreeOfCycles().evaluate(fixture);
    assertTrue(cycles.hasViolation(), "the a ↔ b cycle is found");
    EvaluationResult djl = noClasses().that().resideOutsideOfPackage("dev.diffulab.engine..")
        .should().dependOnClassesThat().resideInAPackage("ai.djl..").evaluate(fixture);
    assertTrue(djl.hasViolation(), "Pong's DJL call is found");
    assertTrue(djl.getFailureReport().toString().contains("Pong"));
    EvaluationResult scalar = NO_NUMBER_ARITHMETIC_ON_ARRAYS.evaluate(fixture);
    assertTrue(scalar.hasViolation(), "Pong's x.mul(0.5f) is found");
    assertTrue(scalar.getFailureReport().toString().contains("Pong"));
    assertTrue(scalar.getFailureReport().toString().contains("swish"),
        "Pong's Activation.swish is found too");
    EvaluationResult family = NO_FAMILY_SWITCHES.evaluate(fixture);
    assertTrue(family.hasViolation(), "Switch's m == Method.CDCD and its switch are found");
    assertTrue(family.getFailureReport().toString().contains("Switch.name"));
    assertTrue(family.getFailureReport().toString().contains("Switch$1"),
        "a switch over the families is found (javac's switch map)");
    assertFalse(CORE_IS_PLAIN_JAVA.allowEmptyShould(true).evaluate(fixture).hasViolation(),
        "the fixture holds no core class");
  }
}
