package io.tributary.broker.config;

import java.util.function.Function;

/**
 * One broker setting: its Kafka property name, how its text is parsed and checked, its default and
 * what it is for. The same definitions drive parsing, validation and the documented settings table.
 *
 * @param defaultValue the default as text, or null when the setting is required
 * @param parser       parses and validates the text; throws IllegalArgumentException saying what is allowed
 */
public record Setting<T>(String name, String defaultValue, Function<String, T> parser, String doc) {

    static Setting<Integer> intAtLeast(String name, int min, Integer defaultValue, String doc) {
        return new Setting<>(name, defaultValue == null ? null : defaultValue.toString(), text -> {
            int value = parseInt(text);
            if (value < min) {
                throw new IllegalArgumentException("must be an integer >= " + min);
            }
            return value;
        }, doc);
    }

    static Setting<Long> longAtLeast(String name, long min, long defaultValue, String doc) {
        return new Setting<>(name, Long.toString(defaultValue), text -> {
            long value;
            try {
                value = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be an integer >= " + min);
            }
            if (value < min) {
                throw new IllegalArgumentException("must be an integer >= " + min);
            }
            return value;
        }, doc);
    }

    static Setting<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new Setting<>(name, Boolean.toString(defaultValue), text -> switch (text.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("must be true or false");
        }, doc);
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be an integer");
        }
    }

    T parse(String text) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new BrokerConfigException("Invalid value '" + text + "' for setting " + name + ": " + e.getMessage());
        }
    }
}
