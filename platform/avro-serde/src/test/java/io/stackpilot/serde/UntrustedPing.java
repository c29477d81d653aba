package io.stackpilot.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A specific record whose package is never trusted, to see the deserializer explain the refusal.
 */
public class UntrustedPing extends SpecificRecordBase {
  public static final Schema SCHEMA$ =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"UntrustedPing\",\"namespace\":\"io.stackpilot.serde\","
                  + "\"fields\":[{\"name\":\"n\",\"type\":\"long\"}]}");
  public static final SpecificData MODEL$ = new SpecificData();

  public long n;

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public SpecificData getSpecificData() {
    return MODEL$;
  }

  @Override
  public Object get(int field) {
    return n;
  }

  @Override
  public void put(int field, Object value) {
    n = (Long) value;
  }
}
