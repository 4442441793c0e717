package io.tributary.cli;

/**
 * Turns the escapes an operator types on a command line ({@code \t}, {@code \n}, {@code \\}) into the
 * characters they stand for, so {@code --key-separator '\t'} means a tab as in Kafka's tools.
 */
final class Escapes {

    private Escapes() {
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(i + 1);
                switch (next) {
                    case 't' -> out.append('\t');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case '\\' -> out.append('\\');
                    default -> {
                        out.append(c).append(next);
                    }
                }
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
