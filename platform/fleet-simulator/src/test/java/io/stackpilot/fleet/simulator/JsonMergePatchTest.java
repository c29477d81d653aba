package io.stackpilot.fleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Proves the merge step follows RFC 7386, where Jackson's readerForUpdating would not. */
class JsonMergePatchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void mergesObjectsRecursivelyAndKeepsKeysThePatchOmits() throws Exception {
    JsonNode merged =
        JsonMergePatch.apply(
            json("{'a':1,'m':{'x':1,'y':2}}"), json("{'m':{'y':3,'z':4},'b':true}"));

    assertThat(merged).isEqualTo(json("{'a':1,'m':{'x':1,'y':3,'z':4},'b':true}"));
  }

  @Test
  void nullRemovesAKey() throws Exception {
    assertThat(JsonMergePatch.apply(json("{'a':1,'b':2}"), json("{'a':null}")))
        .isEqualTo(json("{'b':2}"));
  }

  @Test
  void arraysAreReplacedNotAppended() throws Exception {
    assertThat(JsonMergePatch.apply(json("{'l':[1,2,3]}"), json("{'l':[4]}")))
        .isEqualTo(json("{'l':[4]}"));
  }

  @Test
  void leavesItsArgumentsAlone() throws Exception {
    JsonNode target = json("{'m':{'x':1}}");
    JsonNode patch = json("{'m':{'x':2}}");

    JsonMergePatch.apply(target, patch);

    assertThat(target).isEqualTo(json("{'m':{'x':1}}"));
    assertThat(patch).isEqualTo(json("{'m':{'x':2}}"));
  }

  @Test
  void anObjectReplacesAScalar() throws Exception {
    assertThat(JsonMergePatch.apply(json("{'a':'s'}"), json("{'a':{'b':null,'c':1}}")))
        .isEqualTo(json("{'a':{'c':1}}"));
  }

  private static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }
}
