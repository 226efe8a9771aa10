package io.continuum.sdk.model;

import io.continuum.sdk.App;
import io.continuum.sdk.ContinuumApp;
import io.continuum.sdk.FunctionDeclaration;
import io.continuum.sdk.Handler;
import io.continuum.sdk.ObjectDeclaration;
import io.continuum.sdk.ObjectFields;
import io.continuum.sdk.TopicDeclaration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The declarations of one or more applications, checked as a whole: names unique, every
 * subscription and topic placement naming a declared topic, every subscribed message type handled.
 */
public final class Application {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

  private final Map<String, TopicModel> topics;
  private final Map<String, FunctionModel<?>> functions;
  private final Map<String, ObjectModel> objects;

  private Application(
      Map<String, TopicModel> topics,
      Map<String, FunctionModel<?>> functions,
      Map<String, ObjectModel> objects) {
    this.topics = topics;
    this.functions = functions;
    this.objects = objects;
  }

  /**
   * Collects and checks the declarations of applications.
   *
   * @throws InvalidApplicationException listing every problem
   */
  public static Application define(Collection<? extends ContinuumApp> apps) {
    Collector collector = new Collector();
    for (ContinuumApp app : apps) {
      collector.source = app.getClass().getName();
      app.define(collector);
    }
    collector.check();
    if (!collector.problems.isEmpty()) {
      throw new InvalidApplicationException(collector.problems);
    }
    Map<String, FunctionModel<?>> functions = new LinkedHashMap<>();
    collector.functions.forEach((name, builder) -> functions.put(name, builder.build()));
    Map<String, TopicModel> topics = new LinkedHashMap<>();
    collector.topics.forEach((name, builder) -> topics.put(name, builder.build()));
    Map<String, ObjectModel> objects = new LinkedHashMap<>();
    collector.objects.forEach((id, builder) -> objects.put(id, builder.build()));
    return new Application(topics, functions, objects);
  }

  /**
   * Checks that every zone the declarations name is one of {@code zones}.
   *
   * @throws InvalidApplicationException naming each unknown zone and the declared ones
   */
  public Application requireZones(Set<String> zones) {
    List<String> problems = new ArrayList<>();
    topics.values().stream()
        .filter(t -> t.zone() != null && !zones.contains(t.zone()))
        .forEach(
            t -> problems.add("topic '" + t.name() + "' names unknown zone '" + t.zone() + "'"));
    functions.values().stream()
        .filter(f -> f.zone() != null && !zones.contains(f.zone()))
        .forEach(
            f -> problems.add("function '" + f.name() + "' names unknown zone '" + f.zone() + "'"));
    objects.values().stream()
        .flatMap(
            o -> o.zones().stream().filter(z -> !zones.contains(z)).map(z -> List.of(o.id(), z)))
        .forEach(
            o -> problems.add("object '" + o.get(0) + "' names unknown zone '" + o.get(1) + "'"));
    if (!problems.isEmpty()) {
      problems.add("the cluster's zones are " + String.join(", ", zones));
      throw new InvalidApplicationException(problems);
    }
    return this;
  }

  public Collection<TopicModel> topics() {
    return topics.values();
  }

  public Collection<FunctionModel<?>> functions() {
    return functions.values();
  }

  /** The function type of that name, if declared. */
  public Optional<FunctionModel<?>> function(String name) {
    return Optional.ofNullable(functions.get(name));
  }

  public Collection<ObjectModel> objects() {
    return objects.values();
  }

  /** The object of that id, if declared. */
  public Optional<ObjectModel> object(String id) {
    return Optional.ofNullable(objects.get(id));
  }

  /** The topic of that name, if declared. */
  public Optional<TopicModel> topic(String name) {
    return Optional.ofNullable(topics.get(name));
  }

  private static final class Collector implements App {
    final Map<String, TopicBuilder> topics = new LinkedHashMap<>();
    final Map<String, FunctionBuilder<?>> functions = new LinkedHashMap<>();
    final Map<String, ObjectBuilder> objects = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();
    String source;

    @Override
    public TopicDeclaration topic(String name) {
      TopicBuilder topic = new TopicBuilder(name);
      if (!validName(name, "topic")) {
        return topic;
      }
      if (topics.putIfAbsent(name, topic) != null) {
        problems.add("topic '" + name + "' is declared twice (in " + source + ")");
      }
      return topic;
    }

    @Override
    public <S> FunctionDeclaration<S> function(String name, Class<S> stateType, S initialState) {
      FunctionBuilder<S> function = new FunctionBuilder<>(name, stateType, initialState, this);
      if (!validName(name, "function")) {
        return function;
      }
      if (stateType == null || initialState == null) {
        problems.add("function '" + name + "' needs a state type and an initial state");
      }
      if (functions.putIfAbsent(name, function) != null) {
        problems.add("function '" + name + "' is declared twice (in " + source + ")");
      }
      return function;
    }

    @Override
    public ObjectDeclaration object(String id, Consumer<ObjectFields> fields) {
      ObjectBuilder object = new ObjectBuilder(id, this);
      if (!validName(id, "object")) {
        return object;
      }
      if (objects.putIfAbsent(id, object) != null) {
        problems.add("object '" + id + "' is declared twice (in " + source + ")");
      }
      if (fields == null) {
        problems.add("object '" + id + "' declares no fields");
      } else {
        fields.accept(object);
      }
      return object;
    }

    private boolean validName(String name, String kind) {
      if (name == null || !NAME.matcher(name).matches()) {
        problems.add(
            "invalid "
                + kind
                + " name '"
                + name
                + "': use 1-200 letters, digits, '.', '_', ':' or '-'");
        return false;
      }
      return true;
    }

    void check() {
      for (FunctionBuilder<?> function : functions.values()) {
        if (function.handlers.isEmpty()) {
          problems.add("function '" + function.name + "' declares no handler");
        }
        for (SubscriptionModel subscription : function.subscriptions) {
          if (!topics.containsKey(subscription.topic())) {
            problems.add(
                "function '"
                    + function.name
                    + "' subscribes to undeclared topic '"
                    + subscription.topic()
                    + "'");
          }
          if (subscription.key() == null) {
            problems.add(
                "function '"
                    + function.name
                    + "' subscribes to '"
                    + subscription.topic()
                    + "' without a key to pick the instance");
          }
          if (subscription.messageType() == null) {
            problems.add(
                "function '"
                    + function.name
                    + "' subscribes to '"
                    + subscription.topic()
                    + "' without a message type");
          } else if (!function.handlers.containsKey(subscription.messageType())) {
            problems.add(
                "function '"
                    + function.name
                    + "' subscribes to '"
                    + subscription.topic()
                    + "' as "
                    + subscription.messageType().getSimpleName()
                    + " but has no handler for it");
          }
        }
        if (function.zoneOfTopic != null && !topics.containsKey(function.zoneOfTopic)) {
          problems.add(
              "function '"
                  + function.name
                  + "' follows the zone of undeclared topic '"
                  + function.zoneOfTopic
                  + "'");
        }
        long placements =
            java.util.stream.Stream.of(function.zone, function.zoneOfTopic, function.zoneOfObject)
                .filter(java.util.Objects::nonNull)
                .count();
        if (placements > 1) {
          problems.add(
              "function '"
                  + function.name
                  + "' declares more than one of a zone, the zone of a topic and the zone of an"
                  + " object");
        }
        java.util.stream.Stream.concat(
                function.reads.stream(), java.util.stream.Stream.ofNullable(function.zoneOfObject))
            .filter(object -> !objects.containsKey(object))
            .distinct()
            .forEach(
                object ->
                    problems.add(
                        "function '"
                            + function.name
                            + "' names undeclared object '"
                            + object
                            + "'"));
      }
      for (ObjectBuilder object : objects.values()) {
        if (object.fields.isEmpty()) {
          problems.add("object '" + object.id + "' declares no fields");
        }
      }
    }
  }

  private static final class ObjectBuilder implements ObjectDeclaration, ObjectFields {
    private final String id;
    private final Collector collector;
    private final Map<String, String> fields = new LinkedHashMap<>();
    private List<String> zones = List.of();

    ObjectBuilder(String id, Collector collector) {
      this.id = id;
      this.collector = collector;
    }

    @Override
    public ObjectFields field(String name, String type) {
      if (collector.validName(name, "field") && fields.putIfAbsent(name, type) != null) {
        collector.problems.add("object '" + id + "' declares field '" + name + "' twice");
      }
      return this;
    }

    @Override
    public ObjectDeclaration zones(String... zones) {
      this.zones = List.of(zones);
      if (this.zones.isEmpty() || this.zones.size() != Set.copyOf(this.zones).size()) {
        collector.problems.add("object '" + id + "' needs one or more distinct zones");
      }
      return this;
    }

    ObjectModel build() {
      return new ObjectModel(
          id, Collections.unmodifiableMap(new LinkedHashMap<>(fields)), List.copyOf(zones));
    }
  }

  private static final class TopicBuilder implements TopicDeclaration {
    private final String name;
    private String zone;
    private Long history;
    private Integer maxEntryBytes;

    TopicBuilder(String name) {
      this.name = name;
    }

    @Override
    public TopicDeclaration zone(String zone) {
      this.zone = zone;
      return this;
    }

    @Override
    public TopicDeclaration history(long entries) {
      this.history = entries;
      return this;
    }

    @Override
    public TopicDeclaration maxEntryBytes(int bytes) {
      this.maxEntryBytes = bytes;
      return this;
    }

    TopicModel build() {
      return new TopicModel(name, zone, history, maxEntryBytes);
    }
  }

  private static final class FunctionBuilder<S> implements FunctionDeclaration<S> {
    private final String name;
    private final Class<S> stateType;
    private final S initialState;
    private final Collector collector;
    private final Map<Class<?>, Handler<S, ?>> handlers = new LinkedHashMap<>();
    private final List<SubscriptionModel> subscriptions = new ArrayList<>();
    private String zone;
    private String zoneOfTopic;
    private String zoneOfObject;
    private final List<String> reads = new ArrayList<>();
    private Function<String, String> instanceZones;

    FunctionBuilder(String name, Class<S> stateType, S initialState, Collector collector) {
      this.name = name;
      this.stateType = stateType;
      this.initialState = initialState;
      this.collector = collector;
    }

    @Override
    public <M> FunctionDeclaration<S> on(Class<M> messageType, Handler<S, M> handler) {
      if (messageType == null) {
        collector.problems.add("function '" + name + "' declares a handler for no message type");
      } else if (handler == null) {
        collector.problems.add(
            "function '" + name + "' declares no handler for " + messageType.getSimpleName());
      } else if (handlers.putIfAbsent(messageType, handler) != null) {
        collector.problems.add(
            "function '" + name + "' declares two handlers for " + messageType.getSimpleName());
      }
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <M> FunctionDeclaration<S> subscribe(
        String topic, Class<M> messageType, Function<M, String> key) {
      subscriptions.add(new SubscriptionModel(topic, messageType, (Function<Object, String>) key));
      return this;
    }

    @Override
    public FunctionDeclaration<S> zone(String zone) {
      this.zone = zone;
      return this;
    }

    @Override
    public FunctionDeclaration<S> zoneOfTopic(String topic) {
      this.zoneOfTopic = topic;
      return this;
    }

    @Override
    public FunctionDeclaration<S> zoneOfObject(String object) {
      this.zoneOfObject = object;
      return this;
    }

    @Override
    public FunctionDeclaration<S> reads(String... objects) {
      reads.addAll(List.of(objects));
      return this;
    }

    @Override
    public FunctionDeclaration<S> placeInstances(Function<String, String> zoneOf) {
      this.instanceZones = zoneOf;
      return this;
    }

    FunctionModel<S> build() {
      return new FunctionModel<>(
          name,
          stateType,
          initialState,
          Collections.unmodifiableMap(new LinkedHashMap<>(handlers)),
          List.copyOf(subscriptions),
          zone,
          zoneOfTopic,
          instanceZones,
          zoneOfObject,
          List.copyOf(new java.util.LinkedHashSet<>(reads)));
    }
  }
}
