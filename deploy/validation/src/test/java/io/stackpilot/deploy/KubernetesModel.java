package io.stackpilot.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered manifests into fabric8's Kubernetes model and reports every field the API would
 * not know: the model keeps those in {@code additionalProperties}, where a typo such as {@code
 * readOnlyRootFileSystem} would otherwise pass unnoticed (and be dropped by the API server).
 */
final class KubernetesModel {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The built-in kinds the chart renders, by apiVersion/kind. */
  static final Map<String, Class<?>> TYPES =
      Map.of(
          "apps/v1/Deployment", Deployment.class,
          "apps/v1/StatefulSet", StatefulSet.class,
          "v1/Service", Service.class,
          "v1/ServiceAccount", ServiceAccount.class,
          "v1/ConfigMap", ConfigMap.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "rbac.authorization.k8s.io/v1/ClusterRole", ClusterRole.class,
          "rbac.authorization.k8s.io/v1/ClusterRoleBinding", ClusterRoleBinding.class);

  private KubernetesModel() {}

  /** Whether the document is a built-in kind this check knows. */
  static boolean knows(JsonNode doc) {
    return TYPES.containsKey(typeKey(doc));
  }

  /** Paths of the fields of {@code doc} that its kind does not have; empty when all are known. */
  static List<String> unknownFields(JsonNode doc) {
    Class<?> type = TYPES.get(typeKey(doc));
    if (type == null) {
      throw new IllegalArgumentException("no model for " + typeKey(doc));
    }
    Object typed;
    try {
      typed = JSON.treeToValue(doc, type);
    } catch (JsonProcessingException e) {
      return List.of(Manifests.describe(doc) + ": " + e.getOriginalMessage());
    }
    List<String> unknown = new ArrayList<>();
    walk(typed, Manifests.describe(doc), unknown);
    return unknown;
  }

  private static String typeKey(JsonNode doc) {
    return doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
  }

  private static void walk(Object o, String path, List<String> unknown) {
    if (o == null) {
      return;
    }
    if (o instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, unknown));
      return;
    }
    if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : o.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getClass")) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(o);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
      } else {
        walk(value, path + "." + getter.getName().substring(3), unknown);
      }
    }
  }
}
