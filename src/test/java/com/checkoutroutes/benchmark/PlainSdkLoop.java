package com.checkoutroutes.benchmark;

import com.alipay.global.api.model.ams.Amount;
import com.alipay.global.api.model.ams.Env;
import com.alipay.global.api.model.ams.Order;
import com.alipay.global.api.model.ams.PaymentMethod;
import com.alipay.global.api.model.ams.ProductCodeType;
import com.alipay.global.api.model.ams.TerminalType;
import com.alipay.global.api.request.ams.pay.AlipayPayRequest;
import com.alipay.global.api.response.ams.pay.AlipayPayResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * "The plain alternative a user would write": one KafkaConsumer loop, one synchronous SDK {@code pay} per order,
 * the continuation link sent on to a topic, offsets committed after each poll. No database, no retries.
 */
final class PlainSdkLoop implements Runnable {

    private final String brokers;
    private final String ordersTopic;
    private final String continuationsTopic;
    private final PlainSdkClient client;
    private final String notifyUrl;
    private final ObjectMapper json = new ObjectMapper();
    final AtomicLong paid = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    volatile long lastDoneNanos;
    volatile String firstError;
    /** Whether the group has given this consumer its partitions (so records published now are shared out). */
    volatile boolean assigned;
    private volatile boolean running = true;

    PlainSdkLoop(String brokers, String ordersTopic, String continuationsTopic, PlainSdkClient client, String notifyUrl) {
        this.brokers = brokers;
        this.ordersTopic = ordersTopic;
        this.continuationsTopic = continuationsTopic;
        this.client = client;
        this.notifyUrl = notifyUrl;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "plain-sdk-loop");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
             KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            consumer.subscribe(List.of(ordersTopic));
            while (running) {
                var records = consumer.poll(Duration.ofMillis(50));
                assigned = !consumer.assignment().isEmpty();
                for (ConsumerRecord<String, String> record : records) {
                    try {
                        AlipayPayResponse response = client.execute(payRequest(json.readTree(record.value())));
                        producer.send(new ProducerRecord<>(continuationsTopic, record.key(), response.getNormalUrl()));
                        paid.incrementAndGet();
                    } catch (Exception e) {
                        if (firstError == null) {
                            firstError = e.toString();
                        }
                        failed.incrementAndGet();
                    }
                    lastDoneNanos = System.nanoTime();
                }
                consumer.commitSync();
            }
        }
    }

    private AlipayPayRequest payRequest(JsonNode order) {
        Amount amount = new Amount();
        amount.setCurrency(order.path("amount").path("currency").asText());
        amount.setValue(order.path("amount").path("value").asText());
        Order antomOrder = new Order();
        antomOrder.setReferenceOrderId(order.path("orderId").asText());
        antomOrder.setOrderDescription(order.path("description").asText());
        antomOrder.setOrderAmount(amount);
        PaymentMethod method = new PaymentMethod();
        method.setPaymentMethodType(order.path("paymentMethodType").asText());
        Env env = new Env();
        env.setTerminalType(TerminalType.valueOf(order.path("channel").path("terminalType").asText()));
        env.setClientIp(order.path("channel").path("clientIp").asText());
        AlipayPayRequest pay = new AlipayPayRequest();
        pay.setProductCode(ProductCodeType.CASHIER_PAYMENT);
        pay.setPaymentRequestId(order.path("orderId").asText() + "-1");
        pay.setOrder(antomOrder);
        pay.setPaymentAmount(amount);
        pay.setPaymentMethod(method);
        pay.setEnv(env);
        pay.setPaymentRedirectUrl(order.path("resultPageUrl").asText());
        pay.setPaymentNotifyUrl(notifyUrl);
        return pay;
    }
}
