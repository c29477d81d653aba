package io.stackpilot.applier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** When a live object already holds what a step would write, so the write can be skipped. */
class StepApplierTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void liveObjectsWithMoreFieldsStillHoldTheRenderedOnes() throws Exception {
    JsonNode live =
        json(
            "{'metadata':{'name':'n','resourceVersion':'7','labels':{'a':'1','b':'2'}},"
                + "'data':{'k':'v'},'status':{'phase':'Active'}}");

    assertThat(StepApplier.contains(live, json("{'metadata':{'name':'n','labels':{'a':'1'}}}")))
        .isTrue();
    assertThat(StepApplier.contains(live, json("{'data':{'k':'v'}}"))).isTrue();
  }

  @Test
  void aDifferentOrMissingFieldMeansTheStepMustWrite() throws Exception {
    JsonNode live = json("{'metadata':{'annotations':{'stackpilot.io/step':'r1/c/loki'}}}");

    assertThat(
            StepApplier.contains(
                live, json("{'metadata':{'annotations':{'stackpilot.io/step':'r2/c/loki'}}}")))
        .isFalse();
    assertThat(StepApplier.contains(live, json("{'data':{'k':'v'}}"))).isFalse();
    assertThat(StepApplier.contains(json("{'spec':{'l':[1,2]}}"), json("{'spec':{'l':[1]}}")))
        .as("lists are compared whole, as server-side apply replaces atomic lists")
        .isFalse();
  }

  private static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }
}
