package io.stackpilot.applier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * When a live object still holds what was applied: so a step handled again can skip the write, and
 * drift names the fields someone changed.
 */
class AppliedFieldsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void liveObjectsWithMoreFieldsStillHoldTheRenderedOnes() throws Exception {
    JsonNode live =
        json(
            "{'metadata':{'name':'n','resourceVersion':'7','labels':{'a':'1','b':'2'}},"
                + "'data':{'k':'v'},'status':{'phase':'Active'}}");

    assertThat(AppliedFields.held(live, json("{'metadata':{'name':'n','labels':{'a':'1'}}}")))
        .isTrue();
    assertThat(AppliedFields.held(live, json("{'data':{'k':'v'}}"))).isTrue();
    assertThat(AppliedFields.differing(live, json("{'data':{'k':'v'}}"), 20)).isEmpty();
  }

  @Test
  void aDifferentOrMissingFieldMeansTheStepMustWrite() throws Exception {
    JsonNode live = json("{'metadata':{'annotations':{'stackpilot.io/step':'r1/c/loki'}}}");

    assertThat(
            AppliedFields.held(
                live, json("{'metadata':{'annotations':{'stackpilot.io/step':'r2/c/loki'}}}")))
        .isFalse();
    assertThat(AppliedFields.held(live, json("{'data':{'k':'v'}}"))).isFalse();
    assertThat(AppliedFields.held(json("{'spec':{'l':[1,2]}}"), json("{'spec':{'l':[1]}}")))
        .as("lists are compared whole, as server-side apply replaces atomic lists")
        .isFalse();
  }

  @Test
  void differencesAreNamedByTheirPathInDocumentOrderUpToTheLimit() throws Exception {
    JsonNode live =
        json(
            "{'metadata':{'labels':{'a':'1'}},'spec':{'values':{'replicas':'3','image':'x'},"
                + "'l':[1,2]},'extra':true}");
    JsonNode applied =
        json(
            "{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'values':{'replicas':'1',"
                + "'image':'x','mode':{'x':1}},'l':[1,2],'chart':'loki'}}");

    assertThat(AppliedFields.differing(live, applied, 20))
        .containsExactly(
            "metadata.labels.b", "spec.values.replicas", "spec.values.mode", "spec.chart");
    assertThat(AppliedFields.differing(live, applied, 2))
        .containsExactly("metadata.labels.b", "spec.values.replicas");
    assertThat(AppliedFields.differing(json("{'data':'x'}"), json("{'data':{'k':'v'}}"), 20))
        .as("a field whose type changed is one difference at that field")
        .containsExactly("data");
  }

  @Test
  void numbersAreComparedByValueWhateverTypeTheyWereReadBackAs() {
    var nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    JsonNode live = nodes.objectNode().set("spec", nodes.objectNode().put("replicas", 3));
    JsonNode rendered = nodes.objectNode().set("spec", nodes.objectNode().put("replicas", 3L));
    assertThat(AppliedFields.held(live, rendered)).as("int 3 read back, long 3 rendered").isTrue();
    JsonNode other = nodes.objectNode().set("spec", nodes.objectNode().put("replicas", 4L));
    assertThat(AppliedFields.differing(live, other, 20)).containsExactly("spec.replicas");
    JsonNode list = nodes.objectNode().set("l", nodes.arrayNode().add(1).add(2));
    JsonNode longs = nodes.objectNode().set("l", nodes.arrayNode().add(1L).add(2L));
    assertThat(AppliedFields.held(list, longs)).isTrue();
  }

  private static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }
}
