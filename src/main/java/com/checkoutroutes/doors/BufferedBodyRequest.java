package com.checkoutroutes.doors;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request with its body already read (and bounded) by {@link DoorLimits}: the application reads the copy. A form
 * POST's parameters come from the copy too (the container, its body read already, parses only the query's): the
 * console's sign-in and actions, and Spring Security's CSRF token in them.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper {

    private static final String FORM = "application/x-www-form-urlencoded";
    /** The most form fields read (Tomcat's max-parameter-count); the rest are left out. */
    private static final int MAX_FIELDS = 1000;

    private final byte[] body;
    /** The query's parameters and, for a form, the body's; read on first use. */
    private Map<String, String[]> parameters;

    BufferedBodyRequest(HttpServletRequest request, byte[] body) {
        super(request);
        this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("the body is already read");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(getInputStream(), charset()));
    }

    @Override
    public String getParameter(String name) {
        String[] values = getParameterMap().get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        if (parameters == null) {
            Map<String, List<String>> all = new LinkedHashMap<>();
            super.getParameterMap().forEach((name, values) -> all.computeIfAbsent(name, n -> new ArrayList<>())
                    .addAll(Arrays.asList(values)));
            if (isForm()) {
                Charset charset = charset();
                int fields = 0;
                for (String pair : new String(body, StandardCharsets.ISO_8859_1).split("&")) {
                    // as Tomcat's max-parameter-count: a form of thousands of empty fields is no console's
                    if (pair.isEmpty() || ++fields > MAX_FIELDS) {
                        continue;
                    }
                    int equals = pair.indexOf('=');
                    String name = decode(equals < 0 ? pair : pair.substring(0, equals), charset);
                    String value = equals < 0 ? "" : decode(pair.substring(equals + 1), charset);
                    if (name != null && value != null) {
                        all.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                    }
                }
            }
            Map<String, String[]> map = new LinkedHashMap<>();
            all.forEach((name, values) -> map.put(name, values.toArray(String[]::new)));
            parameters = Collections.unmodifiableMap(map);
        }
        return parameters;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.enumeration(getParameterMap().keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        String[] values = getParameterMap().get(name);
        return values == null ? null : values.clone();
    }

    private boolean isForm() {
        String type = getContentType();
        return "POST".equalsIgnoreCase(getMethod()) && type != null
                && type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT).equals(FORM);
    }

    /** A form field decoded; null for one that is not valid percent-encoding (left out, as the container does). */
    private static String decode(String encoded, Charset charset) {
        try {
            return URLDecoder.decode(encoded, charset);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The request's charset; UTF-8 when it names none, or one the JVM does not know (strict decoding then refuses). */
    private Charset charset() {
        try {
            return getCharacterEncoding() != null ? Charset.forName(getCharacterEncoding()) : StandardCharsets.UTF_8;
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }
}
