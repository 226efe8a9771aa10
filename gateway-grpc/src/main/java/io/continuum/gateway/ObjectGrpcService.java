package io.continuum.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.continuum.gateway.v1.DeleteObjectRequest;
import io.continuum.gateway.v1.DeleteObjectResponse;
import io.continuum.gateway.v1.GetObjectRequest;
import io.continuum.gateway.v1.GetObjectResponse;
import io.continuum.gateway.v1.ObjectField;
import io.continuum.gateway.v1.ObjectServiceGrpc;
import io.continuum.gateway.v1.UpdateObjectRequest;
import io.continuum.gateway.v1.UpdateObjectResponse;
import io.continuum.object.ReplicatedObjects;
import io.continuum.object.ReplicatedObjects.FieldValue;
import io.continuum.object.ReplicatedObjects.ObjectView;
import io.grpc.stub.StreamObserver;

/**
 * The gateway's {@code continuum.v1.ObjectService}: a thin mapping onto {@link ReplicatedObjects}.
 */
public final class ObjectGrpcService extends ObjectServiceGrpc.ObjectServiceImplBase {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReplicatedObjects objects;

  public ObjectGrpcService(ReplicatedObjects objects) {
    this.objects = objects;
  }

  @Override
  public void update(UpdateObjectRequest in, StreamObserver<UpdateObjectResponse> out) {
    UnaryReply.of(
        out,
        () ->
            objects
                .update(
                    new ReplicatedObjects.UpdateRequest(
                        in.getObject(),
                        in.getField(),
                        in.getOp(),
                        in.getArgsList(),
                        in.getType(),
                        in.getZonesList(),
                        in.getConsistency()))
                .thenApply(
                    view -> {
                      UpdateObjectResponse.Builder response =
                          UpdateObjectResponse.newBuilder()
                              .setVersion(view.version())
                              .addAllZones(view.zones())
                              .setServedByZone(view.zone())
                              .setServedByNode(view.node());
                      FieldValue field = view.fields().get(in.getField());
                      if (field != null) {
                        response.setField(toProto(field));
                      }
                      return response.build();
                    }));
  }

  @Override
  public void get(GetObjectRequest in, StreamObserver<GetObjectResponse> out) {
    UnaryReply.of(
        out,
        () ->
            objects
                .get(
                    in.getObject(),
                    in.getField().isEmpty() ? null : in.getField(),
                    in.getConsistency(),
                    in.getAfterVersion())
                .thenApply(ObjectGrpcService::toProto));
  }

  @Override
  public void delete(DeleteObjectRequest in, StreamObserver<DeleteObjectResponse> out) {
    UnaryReply.of(
        out,
        () ->
            objects
                .delete(in.getObject(), in.getConsistency())
                .thenApply(
                    version -> DeleteObjectResponse.newBuilder().setVersion(version).build()));
  }

  static GetObjectResponse toProto(ObjectView view) {
    GetObjectResponse.Builder out =
        GetObjectResponse.newBuilder()
            .setObject(view.object())
            .addAllZones(view.zones())
            .setServedByZone(view.zone())
            .setServedByNode(view.node());
    view.fields().values().forEach(field -> out.addFields(toProto(field)));
    return out.build();
  }

  static ObjectField toProto(FieldValue field) {
    try {
      return ObjectField.newBuilder()
          .setName(field.name())
          .setType(field.type())
          .setJson(JSON.writeValueAsString(field.value()))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("field " + field.name() + " cannot be rendered as JSON", e);
    }
  }
}
