package io.continuum.node.local;

/**
 * A node of a local cluster: its zone and its ports on 127.0.0.1.
 *
 * @param name unique within the cluster, used for its log file
 * @param zone the node's zone
 * @param gatewayPort gRPC gateway
 * @param managementPort management HTTP
 * @param remotePort cluster remoting (Artery)
 */
public record NodeSpec(
    String name, String zone, int gatewayPort, int managementPort, int remotePort) {}
