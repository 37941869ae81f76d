COMMENT ON TYPE app.order_status IS 'Order lifecycle';
