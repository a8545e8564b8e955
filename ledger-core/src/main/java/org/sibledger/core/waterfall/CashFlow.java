package org.sibledger.core.waterfall;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/** One dated movement of an investor's money: negative when the investor pays in, positive when it receives. */
public record CashFlow(LocalDate date, BigDecimal amount) {

    public CashFlow {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(amount, "amount");
    }

    public static CashFlow of(String date, String amount) {
        return new CashFlow(LocalDate.parse(date), new BigDecimal(amount));
    }
}
