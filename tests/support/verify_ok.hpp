#pragma once

#include <QTest>

/// Checks that a Result holds a value, printing its error otherwise. The
/// expression is evaluated once (it may send a transaction).
#define VERIFY_OK(expression)                                                                              \
    do {                                                                                                   \
        const auto& verify_ok_result = (expression);                                                       \
        QVERIFY2(verify_ok_result.has_value(), verify_ok_result ? "" : verify_ok_result.error().message().c_str()); \
    } while (false)
