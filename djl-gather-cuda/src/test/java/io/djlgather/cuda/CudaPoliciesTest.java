package io.djlgather.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.djlgather.ext.spi.Arguments;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

@SuppressWarnings("try") // scopes are opened for their effect on the thread
class CudaPoliciesTest {

    @Test
    void defaultsAreCheckedAndNotDeterministic() {
        assertEquals(IndexCheck.CHECKED, CudaPolicies.getIndexCheck());
        assertFalse(CudaPolicies.isDeterministic());
    }

    @Test
    void scopesNestAndRestore() {
        try (CudaPolicies.Scope outer = CudaPolicies.indexCheck(IndexCheck.TRUSTED)) {
            assertEquals(IndexCheck.TRUSTED, CudaPolicies.getIndexCheck());
            try (CudaPolicies.Scope inner = CudaPolicies.indexCheck(IndexCheck.CHECKED);
                    CudaPolicies.Scope det = CudaPolicies.deterministic(true)) {
                assertEquals(IndexCheck.CHECKED, CudaPolicies.getIndexCheck());
                assertTrue(CudaPolicies.isDeterministic());
            }
            assertEquals(IndexCheck.TRUSTED, CudaPolicies.getIndexCheck());
            assertFalse(CudaPolicies.isDeterministic());
        }
        assertEquals(IndexCheck.CHECKED, CudaPolicies.getIndexCheck());
    }

    @Test
    void closingTwiceDoesNothing() {
        CudaPolicies.Scope outer = CudaPolicies.deterministic(true);
        CudaPolicies.Scope inner = CudaPolicies.deterministic(false);
        inner.close();
        inner.close();
        assertTrue(CudaPolicies.isDeterministic());
        outer.close();
        assertFalse(CudaPolicies.isDeterministic());
    }

    @Test
    void scopesArePerThreadAndDefaultsProcessWide() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (CudaPolicies.Scope trusted = CudaPolicies.indexCheck(IndexCheck.TRUSTED)) {
            assertEquals(IndexCheck.CHECKED, other.submit(CudaPolicies::getIndexCheck).get());
            try {
                CudaPolicies.setDeterministic(true);
                CudaPolicies.setIndexCheck(IndexCheck.TRUSTED);
                assertTrue(other.submit(CudaPolicies::isDeterministic).get());
                assertEquals(IndexCheck.TRUSTED, other.submit(CudaPolicies::getIndexCheck).get());
                try (CudaPolicies.Scope off = CudaPolicies.deterministic(false)) {
                    assertFalse(CudaPolicies.isDeterministic(), "a scope beats the default");
                }
            } finally {
                CudaPolicies.setDeterministic(false);
                CudaPolicies.setIndexCheck(IndexCheck.CHECKED);
            }
        } finally {
            other.shutdown();
        }
    }

    @Test
    void aScopeClosesOnlyOnItsThread() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (CudaPolicies.Scope det = CudaPolicies.deterministic(true)) {
            Exception e = assertThrows(Exception.class, () -> other.submit(det::close).get());
            assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().startsWith(
                    "CudaPolicies.Scope: close must run on the thread that opened the scope"));
            assertTrue(CudaPolicies.isDeterministic());
        } finally {
            other.shutdown();
        }
        assertFalse(CudaPolicies.isDeterministic());
    }

    @Test
    void nullPoliciesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaPolicies.setIndexCheck(null));
        assertEquals("setIndexCheck: check is null; expected a value, got null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CudaPolicies.indexCheck(null));
        assertEquals("indexCheck: check is null; expected a value, got null", e.getMessage());
        assertEquals(IndexCheck.CHECKED, CudaPolicies.getIndexCheck());
    }

    @Test
    void aMistypedIndexCheckPropertyFailsWithAMessageNotAClassInitError() {
        String saved = System.getProperty(CudaPolicies.INDEX_CHECK_PROPERTY);
        try {
            System.setProperty(CudaPolicies.INDEX_CHECK_PROPERTY, "CHEKED");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    CudaPolicies::indexCheckFromProperty);
            assertEquals("CudaPolicies: system property djlgather.cuda.indexCheck names no index"
                    + " check; expected one of [CHECKED, TRUSTED], got 'CHEKED'", e.getMessage());
            // the class stays usable: scopes and explicit defaults still work
            try (CudaPolicies.Scope trusted = CudaPolicies.indexCheck(IndexCheck.TRUSTED)) {
                assertEquals(IndexCheck.TRUSTED, CudaPolicies.getIndexCheck());
            }

            System.setProperty(CudaPolicies.INDEX_CHECK_PROPERTY, " trusted ");
            assertEquals(IndexCheck.TRUSTED, CudaPolicies.indexCheckFromProperty());
            System.setProperty(CudaPolicies.INDEX_CHECK_PROPERTY, "CHECKED");
            assertEquals(IndexCheck.CHECKED, CudaPolicies.indexCheckFromProperty());
            System.clearProperty(CudaPolicies.INDEX_CHECK_PROPERTY);
            assertEquals(IndexCheck.CHECKED, CudaPolicies.indexCheckFromProperty());
        } finally {
            if (saved == null) {
                System.clearProperty(CudaPolicies.INDEX_CHECK_PROPERTY);
            } else {
                System.setProperty(CudaPolicies.INDEX_CHECK_PROPERTY, saved);
            }
        }
        assertEquals(IndexCheck.CHECKED, CudaPolicies.getIndexCheck());
    }

    @Test
    void aMistypedIndexCheckPropertyFailsEveryGetUntilFixed() throws Exception {
        // A fresh copy of the class, so the default is not yet cached by other tests.
        String saved = System.getProperty(CudaPolicies.INDEX_CHECK_PROPERTY);
        URL classes = CudaPolicies.class.getProtectionDomain().getCodeSource().getLocation();
        URL ext = Arguments.class.getProtectionDomain()
                .getCodeSource().getLocation();
        try (URLClassLoader fresh = new URLClassLoader(
                new URL[] {classes, ext}, ClassLoader.getPlatformClassLoader())) {
            Class<?> policies = fresh.loadClass(CudaPolicies.class.getName());
            Method get = policies.getMethod("getIndexCheck");
            System.setProperty(CudaPolicies.INDEX_CHECK_PROPERTY, "TRUSTD");
            for (int i = 0; i < 2; i++) {
                InvocationTargetException e = assertThrows(
                        InvocationTargetException.class, () -> get.invoke(null));
                assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
                assertTrue(e.getCause().getMessage().endsWith("got 'TRUSTD'"), e.getCause().getMessage());
            }
            System.setProperty(CudaPolicies.INDEX_CHECK_PROPERTY, "TRUSTED");
            assertEquals("TRUSTED", String.valueOf(get.invoke(null)));
        } finally {
            if (saved == null) {
                System.clearProperty(CudaPolicies.INDEX_CHECK_PROPERTY);
            } else {
                System.setProperty(CudaPolicies.INDEX_CHECK_PROPERTY, saved);
            }
        }
    }
}
