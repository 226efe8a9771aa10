package io.continuum.sdk.model;

import java.util.function.Function;

/**
 * A function type's subscription to a topic.
 *
 * @param topic the topic
 * @param messageType what each entry's JSON is decoded as
 * @param key picks the instance id of an entry
 */
public record SubscriptionModel(String topic, Class<?> messageType, Function<Object, String> key) {}
