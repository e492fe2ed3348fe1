package org.psametering.headend.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Reads head-end.yaml. Every failure becomes a {@link ConfigException} naming the file and the setting. */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {
    }

    public static HeadEndConfig load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), bytes);
    }

    public static HeadEndConfig parse(String source, byte[] yaml) {
        try {
            HeadEndConfig config = YAML.readValue(yaml, HeadEndConfig.class);
            if (config == null) {
                throw new ConfigException(source + ": the file is empty");
            }
            return config;
        } catch (JsonMappingException e) {
            ConfigException cause = findConfigException(e);
            String where = e.getPath().isEmpty() ? "" : " at " + path(e);
            if (cause != null) {
                throw new ConfigException(source + where + ": " + cause.getMessage(), cause);
            }
            throw new ConfigException(source + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
        }
    }

    private static ConfigException findConfigException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c;
            }
        }
        return null;
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
