ALTER TABLE app.categories ADD CONSTRAINT categories_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES app.categories (id) ON DELETE CASCADE NOT VALID;
ALTER TABLE app.categories VALIDATE CONSTRAINT categories_parent_id_fkey;
