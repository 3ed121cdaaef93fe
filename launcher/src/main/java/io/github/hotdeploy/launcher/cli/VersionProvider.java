package io.github.hotdeploy.launcher.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest; a single line, as the original prints. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = StartServerCommand.class.getPackage().getImplementationVersion();
        return new String[] {version == null ? "development" : version};
    }
}
