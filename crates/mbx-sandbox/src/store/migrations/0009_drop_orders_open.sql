-- Nothing reads orders by status through this index (the open orders read at start also want
-- PENDING_NEW, which it leaves out, so they scan the table): every order placed and ended only
-- wrote it.
DROP INDEX IF EXISTS orders_open;
