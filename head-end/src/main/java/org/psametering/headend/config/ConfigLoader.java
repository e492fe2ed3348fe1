package org.psametering.headend.config;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
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
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(source + ": the file is empty");
        }
        // checked before binding, so a misspelt key is reported as such rather than as the missing setting
        checkKeys(source, tree, HeadEndConfig.class, "");
        try {
            return YAML.treeToValue(tree, HeadEndConfig.class);
        } catch (JsonMappingException e) {
            ConfigException cause = findConfigException(e);
            String where = e.getPath().isEmpty() ? "" : " at " + path(e);
            if (cause != null) {
                throw new ConfigException(source + where + ": " + cause.getMessage(), cause);
            }
            throw new ConfigException(source + where + ": " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Rejects keys that are no component of the record the section binds to, listing the valid ones. */
    private static void checkKeys(String source, JsonNode node, Class<?> type, String path) {
        if (!type.isRecord() || !node.isObject()) {
            return;
        }
        Map<String, RecordComponent> components = Arrays.stream(type.getRecordComponents())
                .collect(Collectors.toMap(RecordComponent::getName, Function.identity()));
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            RecordComponent component = components.get(field.getKey());
            String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (component == null) {
                throw new ConfigException(source + ": unknown setting '" + name + "' (valid here: "
                        + String.join(", ", components.keySet().stream().sorted().toList()) + ")");
            }
            checkKeys(source, field.getValue(), component.getType(), name);
            Type generic = component.getGenericType();
            if (generic instanceof ParameterizedType list && field.getValue().isArray()
                    && list.getActualTypeArguments()[0] instanceof Class<?> element) {
                for (int i = 0; i < field.getValue().size(); i++) {
                    checkKeys(source, field.getValue().get(i), element, name + "[" + i + "]");
                }
            }
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
