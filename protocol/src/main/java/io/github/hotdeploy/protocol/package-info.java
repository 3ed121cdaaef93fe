/**
 * The contract between start_server and the processes it spawns. Java 8, no dependencies: the
 * agent shades it into applications' JVMs, the launcher uses it as is.
 */
package io.github.hotdeploy.protocol;
