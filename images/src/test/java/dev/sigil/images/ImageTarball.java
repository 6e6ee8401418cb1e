package dev.sigil.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An image as `jib:buildTar` writes it (the `docker load` layout): manifest, config, gzipped layers. */
final class ImageTarball {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path unpacked;
    private final JsonNode manifest;
    private final JsonNode config;

    private ImageTarball(Path unpacked) {
        this.unpacked = unpacked;
        this.manifest = read(unpacked.resolve("manifest.json")).get(0);
        this.config = read(unpacked.resolve(manifest.path("Config").asText()));
    }

    static ImageTarball open(Path tarball, Path workDirectory) {
        run(List.of("tar", "-xf", tarball.toString(), "-C", workDirectory.toString()));
        return new ImageTarball(workDirectory);
    }

    JsonNode config() {
        return config.path("config");
    }

    /** The image names Jib wrote into the tarball, e.g. ghcr.io/sigil-dev/sigil-agent:0.2.0. */
    List<String> repoTags() {
        List<String> tags = new ArrayList<>();
        manifest.path("RepoTags").forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    String architecture() {
        return config.path("architecture").asText() + "/" + config.path("os").asText();
    }

    List<String> layerFiles() {
        List<String> layers = new ArrayList<>();
        manifest.path("Layers").forEach(layer -> layers.add(layer.asText()));
        return layers;
    }

    List<String> layerDigests() {
        List<String> digests = new ArrayList<>();
        config.at("/rootfs/diff_ids").forEach(id -> digests.add(id.asText()));
        return digests;
    }

    long compressedSize() {
        return layerFiles().stream().mapToLong(layer -> size(unpacked.resolve(layer))).sum();
    }

    /** Applies the layers in order, as a container runtime would, into {@code root}. */
    Path extractRootFilesystem(Path root) {
        for (String layer : layerFiles()) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", unpacked.resolve(layer).toString(), "-C", root.toString()));
        }
        return root;
    }

    static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
