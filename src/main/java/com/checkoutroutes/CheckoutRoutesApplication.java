package com.checkoutroutes;

import com.checkoutroutes.signature.JdkBase64ForSdk;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Checkout Routes: Apache Camel routes from orders to Antom Checkout Payment and back. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CheckoutRoutesApplication {

    public static void main(String[] args) {
        JdkBase64ForSdk.install();
        SpringApplication.run(CheckoutRoutesApplication.class, args);
    }
}
