package com.checkoutroutes.platform;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.quartz.CronExpression;

/**
 * A Quartz cron expression (sec min hour day month weekday), as the scheduled routes hand it to camel-quartz; a
 * typo then stops start-up naming the setting instead of failing when the route starts. Null is left to
 * {@code @NotBlank}.
 */
@Documented
@Retention(RUNTIME)
@Target({FIELD, METHOD, PARAMETER})
@Constraint(validatedBy = QuartzCron.Check.class)
public @interface QuartzCron {

    String message() default "must be a Quartz cron expression (sec min hour day month weekday), e.g. \"0 30 10 * * ?\"";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<QuartzCron, String> {

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || CronExpression.isValidExpression(value);
        }
    }
}
