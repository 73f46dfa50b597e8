package com.checkoutroutes.gateway;

import com.alibaba.fastjson.parser.ParserConfig;
import com.alibaba.fastjson.serializer.SerializeConfig;
import com.alipay.global.api.request.AlipayRequest;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds fastjson's serializers and deserializers for the SDK's requests, their answers and the model classes they
 * hold, once, on the thread that starts the application. fastjson generates each (a class defined per bean) at its
 * first use; on the order lanes' virtual threads many first uses at once pinned the carriers on class-loading locks
 * and deadlocked the lanes (see {@code keyordered.KeyOrderedLanes}' warm-up, which covers the first order's path;
 * this covers the paths of the other kinds of call too).
 */
final class SdkJsonWarmUp {

    /** Where the SDK's requests, answers and models live: the classes followed from field to field. */
    private static final String SDK_PACKAGE = "com.alipay.global.api.";

    private SdkJsonWarmUp() {
    }

    /** Warms the given requests, their answers and every SDK class reachable from their fields; returns the classes. */
    static Set<Class<?>> warmUp(List<AlipayRequest<?>> requests) {
        Deque<Class<?>> todo = new ArrayDeque<>();
        for (AlipayRequest<?> request : requests) {
            todo.add(request.getClass());
            todo.add(request.getResponseClass());
        }
        Set<Class<?>> warmed = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            Class<?> type = todo.poll();
            if (!warmed.add(type)) {
                continue;
            }
            SerializeConfig.getGlobalInstance().getObjectWriter(type);
            ParserConfig.getGlobalInstance().getDeserializer(type);
            for (Class<?> c = type; c != null && c.getName().startsWith(SDK_PACKAGE); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    follow(field.getGenericType(), todo);
                }
            }
        }
        return warmed;
    }

    /** Queues the SDK classes a field's type names, its type arguments included (a {@code List<Amount>}). */
    private static void follow(Type type, Deque<Class<?>> todo) {
        if (type instanceof Class<?> c && c.getName().startsWith(SDK_PACKAGE) && !c.isInterface()) {
            todo.add(c);
        } else if (type instanceof Class<?> c && c.isArray()) {
            follow(c.getComponentType(), todo);
        } else if (type instanceof ParameterizedType parameterized) {
            follow(parameterized.getRawType(), todo);
            for (Type argument : parameterized.getActualTypeArguments()) {
                follow(argument, todo);
            }
        }
    }
}
