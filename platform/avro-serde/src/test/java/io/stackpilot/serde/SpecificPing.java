package io.stackpilot.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/** A hand-written stand-in for a generated class: version 2 of Ping, with a defaulted field. */
public class SpecificPing extends SpecificRecordBase {
  public static final Schema SCHEMA$ =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"SpecificPing\",\"namespace\":\"io.stackpilot.serde\","
                  + "\"fields\":[{\"name\":\"n\",\"type\":\"long\"},{\"name\":\"s\",\"type\":\"string\"},"
                  + "{\"name\":\"tag\",\"type\":\"string\",\"default\":\"none\"}]}");
  public static final SpecificData MODEL$ = new SpecificData();

  public long n;
  public CharSequence s;
  public CharSequence tag;

  public SpecificPing() {}

  public SpecificPing(long n, String s, String tag) {
    this.n = n;
    this.s = s;
    this.tag = tag;
  }

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
    return switch (field) {
      case 0 -> n;
      case 1 -> s;
      case 2 -> tag;
      default -> throw new IndexOutOfBoundsException(field);
    };
  }

  @Override
  public void put(int field, Object value) {
    switch (field) {
      case 0 -> n = (Long) value;
      case 1 -> s = (CharSequence) value;
      case 2 -> tag = (CharSequence) value;
      default -> throw new IndexOutOfBoundsException(field);
    }
  }
}
