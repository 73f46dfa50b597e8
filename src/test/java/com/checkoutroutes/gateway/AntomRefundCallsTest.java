package com.checkoutroutes.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.alipay.global.api.request.ams.pay.AlipayRefundRequest;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * A refund's reason goes to Antom only as every payment method takes it (Antom's docs: no Chinese characters in a
 * request field; a refused refund would end FAILED for its reason's sake), and never cut inside a character.
 */
class AntomRefundCallsTest {

    private final AntomGateway gateway = mock(AntomGateway.class);
    private final AntomRefundCalls calls;

    AntomRefundCallsTest() {
        AntomSettings settings = mock(AntomSettings.class);
        when(settings.notifyUrl()).thenReturn("https://shop.example/antom/notifications");
        calls = new AntomRefundCalls(gateway, settings);
    }

    @Test
    void aReasonEveryMethodTakesIsSentAndOneSomeWouldRefuseIsLeftOut() {
        assertThat(sentReason("returned by the buyer")).isEqualTo("returned by the buyer");
        assertThat(sentReason("买家退货")).as("Chinese").isNull();
        assertThat(sentReason("returned\u202Eyreviled")).as("a bidi override").isNull();
        assertThat(sentReason("line one\nline two")).as("a control character").isNull();
        assertThat(sentReason("   ")).isNull();
    }

    @Test
    void aLongReasonIsCutAt256WithoutSplittingACharacter() {
        String emojiAtTheCut = "r".repeat(255) + "\uD83D\uDE00" + "more";

        assertThat(sentReason("x".repeat(300))).hasSize(256);
        assertThat(sentReason(emojiAtTheCut)).isEqualTo("r".repeat(255));
    }

    private String sentReason(String reason) {
        org.mockito.Mockito.clearInvocations(gateway);
        calls.refund("REF1", "PAY1", "USD", 100, reason);
        ArgumentCaptor<AlipayRefundRequest> sent = ArgumentCaptor.forClass(AlipayRefundRequest.class);
        verify(gateway).call(eq("refund"), eq("REF1"), sent.capture());
        return sent.getValue().getRefundReason();
    }
}
